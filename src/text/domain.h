// Host names and the sites they belong to: the keys under which links, author URLs and
// e-mail addresses are compared (reputation, lists, "author URL domain reused in the text").
#pragma once

#include <string>
#include <string_view>

namespace hamlet::text {

// The lower-case host of a URL as a commenter writes it: "https://Www.Example.com:8080/x"
// -> "www.example.com"; "example.com/page" -> "example.com". A user-info part ("user@") is
// dropped. "" when there is no plausible host (no dot, spaces, empty).
std::string UrlHost(std::string_view url);

// The registrable part of a host, the name a site owner buys: the last two labels, or three
// under a country's second-level registry ("shop.example.co.uk" -> "example.co.uk";
// "www.blog.example.com" -> "example.com"). An IPv4 address is returned whole. Lower-cases.
std::string SiteDomain(std::string_view host);

// The lower-case domain of an e-mail address ("Ann@Mail.Example.org" -> "mail.example.org"),
// or "" when `email` has no '@' or nothing after it.
std::string EmailDomain(std::string_view email);

}  // namespace hamlet::text
