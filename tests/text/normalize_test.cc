// Table-driven tests of the one text normalizer.
#include "text/normalize.h"

#include <string>

#include <doctest/doctest.h>

#include "core/comment.h"

namespace hamlet::text {
namespace {

struct Case {
  const char* name;
  std::string raw;
  std::string want;
};

void RunTable(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(Normalize(c.raw) == c.want);
  }
}

TEST_SUITE("text/normalize") {

TEST_CASE("case-folds and applies NFKC, so fullwidth and styled letters become plain") {
  RunTable({
      {"ascii upper case", "Hello WORLD", "hello world"},
      {"fullwidth letters", "\xEF\xBD\x86\xEF\xBD\x92\xEF\xBD\x85\xEF\xBD\x85", "free"},  // ｆｒｅｅ
      {"fullwidth capitals", "\xEF\xBC\xB6\xEF\xBC\xA9\xEF\xBC\xA1", "via"},             // ＶＩＡ
      {"mathematical bold", "\xF0\x9D\x90\x9F\xF0\x9D\x90\xAB\xF0\x9D\x90\x9E\xF0\x9D\x90\x9E", "free"},
      {"german sharp s folds", "Stra\xC3\x9F" "e", "strasse"},
      {"accents are kept (composed)", "Cafe\xCC\x81", "caf\xC3\xA9"},
      {"ligature", "\xEF\xAC\x81le", "file"},  // ﬁle
  });
}

TEST_CASE("removes zero-width characters and treats non-breaking spaces as spaces") {
  RunTable({
      {"zero-width space inside a word", "via\xE2\x80\x8Bgra", "viagra"},
      {"soft hyphen", "via\xC2\xADgra", "viagra"},
      {"byte order mark", "\xEF\xBB\xBFhello", "hello"},
      {"no-break space", "hello\xC2\xA0world", "hello world"},
      {"narrow no-break space", "hello\xE2\x80\xAFworld", "hello world"},
      {"ideographic space", "hello\xE3\x80\x80world", "hello world"},
  });
}

TEST_CASE("collapses newlines, tabs and runs of whitespace so fastText sees one line") {
  RunTable({
      {"newlines", "first line\nsecond line\r\nthird", "first line second line third"},
      {"tabs and runs", "  a\t\tb    c  ", "a b c"},
      {"only whitespace", " \n\t\r ", ""},
      {"empty", "", ""},
      {"vertical tab and form feed", "a\vb\fc", "a b c"},
      {"line separator", "a\xE2\x80\xA8" "b", "a b"},
  });
  std::string out = Normalize("x\n\n\ny\n");
  CHECK(out.find('\n') == std::string::npos);
}

TEST_CASE("replaces invalid UTF-8 bytes instead of passing them through") {
  RunTable({
      {"lone continuation byte", "ab\x80" "cd", "ab \xEF\xBF\xBD cd"},
      {"invalid lead bytes", "x \xFF\xFE y", "x \xEF\xBF\xBD \xEF\xBF\xBD y"},
      {"truncated sequence at end", "abc \xE2\x82", "abc \xEF\xBF\xBD \xEF\xBF\xBD"},
      {"overlong encoding of slash", "a\xC0\xAF" "b", "a \xEF\xBF\xBD \xEF\xBF\xBD b"},
      {"encoded surrogate", "a\xED\xA0\x80" "b", "a \xEF\xBF\xBD \xEF\xBF\xBD b"},
      {"NUL byte", std::string("a\0b", 3), "a b"},
  });
}

TEST_CASE("decodes HTML entities") {
  RunTable({
      {"named", "fish &amp; chips &lt;3 &quot;ok&quot;", "fish chips < _num_ ok"},
      {"apostrophe as number", "don&#39;t", "dont"},
      {"decimal", "&#72;&#105;", "hi"},
      {"hex", "&#x48;&#X49;", "hi"},
      {"nbsp", "a&nbsp;b", "a b"},
      {"invalid code point", "a &#xD800; b", "a \xEF\xBF\xBD b"},
      {"unknown entity is text", "&bogus; x", "bogus x"},
      {"bare ampersand", "salt & pepper", "salt pepper"},
  });
}

TEST_CASE("strips HTML tags but keeps link targets as URL tokens") {
  RunTable({
      {"bold", "I <b>love</b> it", "i love it"},
      {"link", "see <a href=\"https://example.com/x\">my site</a>", "see _url_ _tld_com example my site"},
      {"single-quoted href with entity", "<a href='http://bit.ly/a?x=1&amp;y=2'>x</a>",
       "_url_ _tld_ly _shortener_ x"},
      {"image src", "<img src=http://spam.ru/p.png>", "_url_ _tld_ru spam"},
      {"comment", "a<!-- hidden -->b", "a b"},
      {"less-than that is not a tag", "1 < 2 and i <3 u", "_num_ < _num_ and i < _num_ u"},
      {"unclosed tag is text", "a <b c", "a < b c"},
  });
}

TEST_CASE("replaces URLs with _url_, a TLD token and a shortener token") {
  RunTable({
      {"https", "go to https://www.Example.com/path?q=1 now", "go to _url_ _tld_com example now"},
      {"www", "www.cheap-pills.net", "_url_ _tld_net"},
      {"bare domain", "visit mysite.org/free today", "visit _url_ _tld_org mysite today"},
      {"shorteners", "bit.ly/x goo.gl/y http://t.co/z tinyurl.com/w",
       "_url_ _tld_ly _shortener_ _url_ _tld_gl _shortener_ _url_ _tld_co _shortener_ _url_ "
       "_tld_com _shortener_"},
      {"trailing punctuation is not part of the URL", "(see http://example.com).",
       "see _url_ _tld_com example"},
      {"trailing question marks are kept", "example.com??", "_url_ _tld_com example ? ?"},
      {"unknown TLD is not a domain", "hello.world", "hello world"},
      {"abbreviations are not domains", "e.g. this", "e g this"},
      {"a scheme alone is a word", "http://", "http"},
      {"explicit URL with an unknown TLD", "https://spam.example", "_url_ _tld_example spam"},
  });
}

TEST_CASE("replaces e-mail addresses, phone numbers and other numbers") {
  RunTable({
      {"email", "write to John.Doe+x@mail.example.co.uk", "write to _email_"},
      {"at sign without a domain is a mention", "@everyone hi", "_mention_ hi"},
      {"phone with spaces", "call 0906 170 1461 now", "call _phone_ now"},
      {"international phone", "+1 (555) 123-4567", "_phone_"},
      {"dotted phone", "555.123.4567", "_phone_"},
      {"long digit run starting with 0", "text 07781482378", "text _phone_"},
      {"short number", "win 1000 dollars", "win _num_ dollars"},
      {"decimal", "only 3.50 each", "only _num_ each"},
      {"thousands", "1,000,000 views", "_num_ views"},
      {"year and a number are not a phone", "in 2013 i had 5 cats", "in _num_ i had _num_ cats"},
      {"letters and digits stay a word", "kobyoshi02 2nite", "kobyoshi02 2nite"},
      {"currency symbol is a token", "\xC2\xA3" "1000 cash", "\xC2\xA3 _num_ cash"},
  });
}

TEST_CASE("collapses a character repeated three or more times to two") {
  RunTable({
      {"letters", "soooooo cooool", "soo cool"},
      {"two stay two", "good", "good"},
      {"exclamation marks", "wow!!!!!", "wow ! !"},
      {"a run of emoji is one token", "\xF0\x9F\x98\x8D\xF0\x9F\x98\x8D\xF0\x9F\x98\x8D",
       "_emoji_"},
      {"white stars", "\xE2\x98\x86\xE2\x98\x86\xE2\x98\x86\xE2\x98\x86", "\xE2\x98\x86 \xE2\x98\x86"},
      {"www is still a URL", "www.example.com", "_url_ _tld_com example"},
  });
}

TEST_CASE("obfuscated host names become URL tokens plus _obfuscated_") {
  RunTable({
      {"spaced dots", "www . site . com", "_url_ _tld_com site _obfuscated_"},
      {"bracketed dot", "site [.] com", "_url_ _tld_com site _obfuscated_"},
      {"parenthesized dot, no spaces", "site(.)com", "_url_ _tld_com site _obfuscated_"},
      {"(dot)", "site (dot) com", "_url_ _tld_com site _obfuscated_"},
      {"[dot] and a path", "Visit CHEAP-PILLS [dot] ru/buy now!",
       "visit _url_ _tld_ru _obfuscated_ now !"},
      {"bare dot word", "go to site dot com today", "go to _url_ _tld_com site _obfuscated_ today"},
      {"comma", "site,com", "_url_ _tld_com site _obfuscated_"},
      {"mixed with a plain dot", "www.site(.)com", "_url_ _tld_com site _obfuscated_"},
      {"a shortener", "bit[.]ly/abc", "_url_ _tld_ly _shortener_ _obfuscated_"},
      {"punctuation after it", "(site{.}net)!!", "_url_ _tld_net site _obfuscated_ ! !"},
      {"fullwidth letters and dots are a plain URL (NFKC)",
       "\xEF\xBD\x97\xEF\xBD\x97\xEF\xBD\x97\xEF\xBC\x8E\xEF\xBD\x93\xEF\xBD\x89\xEF\xBD\x94"
       "\xEF\xBD\x85\xEF\xBC\x8E\xEF\xBD\x83\xEF\xBD\x8F\xEF\xBD\x8D",  // ｗｗｗ．ｓｉｔｅ．ｃｏｍ
       "_url_ _tld_com site"},
      {"fullwidth TLD letter", "site.\xEF\xBD\x83om", "_url_ _tld_com site"},  // site.ｃom
  });
}

TEST_CASE("prose with dots, commas and the word dot does not become a URL") {
  RunTable({
      {"the dot com bubble", "the dot com bubble", "the dot com bubble"},
      {"a sentence ending before com", "that was the end. com", "that was the end com"},
      {"a list with a TLD-like word", "yes,no maybe,no", "yes no maybe no"},
      {"spaced dot between words", "one . two . three", "one two three"},
      {"dot words", "a dot b dot c", "a dot b dot c"},
      {"unknown TLD", "www . site . example", "ww site example"},
      {"bracketed dot, unknown TLD", "go(.)away", "go away"},
      {"weak separator, English-word TLD", "meet dot me", "meet dot me"},
      {"a number", "1,000 com", "_num_ com"},
  });
}

TEST_CASE("Latin words with Cyrillic or Greek look-alikes are folded and marked") {
  RunTable({
      {"Cyrillic i", "v\xD1\x96" "agra", "viagra _mixed_script_"},           // vіagra
      {"Cyrillic a", "c\xD0\xB0sino bonus", "casino _mixed_script_ bonus"},  // cаsino
      {"Greek omicron", "b\xCE\xBFnus", "bonus _mixed_script_"},             // bοnus
      {"Cyrillic capitals fold first", "\xD0\xA1\xD0\x90SINO", "casino _mixed_script_"},
      {"mostly Cyrillic, all look-alikes", "\xD1\x80\xD0\xB0\xD1\x83\xD1\x80\xD0\xB0l",
       "paypal _mixed_script_"},                                             // раураl
      {"a Cyrillic word with a Latin p stays Cyrillic", "\xD0\xBFp\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82",
       "\xD0\xBFp\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 _mixed_script_"},         // пpивет
      {"a Russian sentence is unchanged", "Привет, как дела? Всё хорошо.",
       "привет как дела ? всё хорошо"},
      {"a Greek sentence is unchanged", "Καλημέρα κόσμε", "καλημέρα κόσμε"},
      {"the micro sign is not a look-alike", "5\xC2\xB5m", "5\xCE\xBCm"},
      {"squashing still applies", "c\xD0\xB0\xD0\xB0\xD0\xB0sino", "caasino _mixed_script_"},
  });
}

TEST_CASE("mentions and hashtags") {
  RunTable({
      {"mention", "@john_doe thanks", "_mention_ thanks"},
      {"mention with a dot and punctuation", "thanks @Jane.Doe!", "thanks _mention_ !"},
      {"an e-mail address is not a mention", "mail bob@example.com", "mail _email_"},
      {"a lone at sign", "see you @ noon", "see you noon"},
      {"hashtag keeps its word", "#FreeMoney now", "_hashtag_ freemoney now"},
      {"hashtag with underscores", "#win_big", "_hashtag_ win big"},
      {"a number sign is not a hashtag", "#1 fan", "_num_ fan"},
      {"C sharp", "C# rocks", "c rocks"},
      {"in brackets", "(#tag)", "_hashtag_ tag"},
      {"tokens cannot be forged through a hashtag", "#_url_", "_hashtag_ url"},
  });
}

TEST_CASE("a run of emoji is one _emoji_ token, decorative symbols stay few") {
  RunTable({
      {"run after a word", "wow\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x8E\x89 great",
       "wow _emoji_ great"},
      {"ZWJ family", "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7",
       "_emoji_"},
      {"skin tone", "ok \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", "ok _emoji_"},
      {"flags", "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA", "_emoji_"},
      {"variation selector", "I \xE2\x9D\xA4\xEF\xB8\x8F it", "i _emoji_ it"},
      {"separate runs squash like other repeats",
       "\xF0\x9F\x98\x80 \xF0\x9F\x98\x80 \xF0\x9F\x98\x80 \xF0\x9F\x98\x80", "_emoji_ _emoji_"},
      {"check marks are pictographs", "\xE2\x9C\x94\xE2\x9C\x94\xE2\x9C\x94 done", "_emoji_ done"},
      {"a border of symbols gives at most three tokens",  // ✦✧✦✧✦✧
       "\xE2\x9C\xA6\xE2\x9C\xA7\xE2\x9C\xA6\xE2\x9C\xA7\xE2\x9C\xA6\xE2\x9C\xA7 best",
       "\xE2\x9C\xA6 \xE2\x9C\xA7 \xE2\x9C\xA6 best"},
      {"symbols and emoji mixed count together",  // ★ is a pictograph, ☆ is not
       "\xE2\x98\x85\xE2\x98\x86\xE2\x98\x85\xE2\x98\x86\xE2\x98\x85\xE2\x98\x86 best",
       "_emoji_ \xE2\x98\x86 _emoji_ best"},
      {"arrows", "\xE2\x9E\xA4\xE2\x9E\xA4\xE2\x9E\xA4 click", "\xE2\x9E\xA4 \xE2\x9E\xA4 click"},
      {"copyright stays a symbol", "\xC2\xA9 2024 acme", "\xC2\xA9 _num_ acme"},
  });
}

TEST_CASE("is deterministic: the same input gives the same output") {
  const std::string inputs[] = {
      "www . site . com v\xD1\x96" "agra @bob #tag \xF0\x9F\x98\x80\xF0\x9F\x8F\xBD",
      "call 0906 170 1461 or mail me@example.org",
      std::string("a\0b\xFF site(.)com", 15)};
  for (const std::string& raw : inputs) {
    const std::string first = Normalize(raw);
    for (int i = 0; i < 3; ++i) CHECK(Normalize(raw) == first);
  }
}

TEST_CASE("splits punctuation off words, keeping ! and ? as tokens") {
  RunTable({
      {"comma and period", "hello, world.", "hello world"},
      {"question", "really?", "really ?"},
      {"apostrophes join", "don't it\xE2\x80\x99s", "dont its"},
      {"hyphen splits", "e-mail", "e mail"},
      {"brackets", "[check] (this)", "check this"},
      {"leading exclamation", "!!!free", "! ! free"},
  });
}

TEST_CASE("never lets __label__ through, so fastText cannot read a label") {
  RunTable({
      {"plain", "__label__spam hello", "label spam hello"},
      {"inside a word", "x__label__ham", "x label ham"},
      {"nested", "__la__label__bel__", "la label bel"},
      {"own tokens cannot be forged", "_url_ _phone_", "url phone"},
  });
  for (const char* raw : {"__label__ham", "a __label__spam b", "_\xEF\xBC\xBF" "label__x"}) {
    CHECK(Normalize(raw).find("__label__") == std::string::npos);
  }
}

}  // TEST_SUITE

TEST_SUITE("text/normalize_hostile") {

// Valid UTF-8, one line, no label, no empty token: what every output must be.
void CheckWellFormed(const std::string& out) {
  CHECK(out.find('\n') == std::string::npos);
  CHECK(out.find('\r') == std::string::npos);
  CHECK(out.find("__label__") == std::string::npos);
  CHECK(out.find("  ") == std::string::npos);
  CHECK((out.empty() || (out.front() != ' ' && out.back() != ' ')));
  size_t i = 0;
  while (i < out.size()) {
    auto c = static_cast<unsigned char>(out[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    REQUIRE_MESSAGE(len > 0, "invalid UTF-8 lead byte at " << i);
    REQUIRE(i + len <= out.size());
    for (size_t k = 1; k < len; ++k) {
      REQUIRE((static_cast<unsigned char>(out[i + k]) >> 6) == 2);
    }
    i += len;
  }
}

TEST_CASE("mixed scripts: look-alikes in a Latin word are folded, other words stay whole") {
  // "viаgrа" with Cyrillic a (U+0430), "ΡΑΥ" in Greek capitals, Latin + Arabic + CJK.
  const std::string out = Normalize(
      "vi\xD0\xB0gr\xD0\xB0 \xCE\xA1\xCE\x91\xCE\xA5 caf\xC3\xA9 "
      "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xE4\xBD\xA0\xE5\xA5\xBD");
  CheckWellFormed(out);
  CHECK(out.find("viagra _mixed_script_ ") == 0);  // one token, not split at the script change
  CHECK(out.find("\xCF\x81\xCE\xB1\xCF\x85") != std::string::npos);  // Greek folded to lower
  CHECK(out.find("caf\xC3\xA9") != std::string::npos);
}

TEST_CASE("zero-width characters everywhere do not split or hide words") {
  // ZWSP, ZWNJ, ZWJ, word joiner and BOM between every letter of "free money".
  const std::string zw[] = {"\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D", "\xE2\x81\xA0",
                            "\xEF\xBB\xBF"};
  std::string text;
  const std::string plain = "free money";
  for (size_t i = 0; i < plain.size(); ++i) text += plain.substr(i, 1) + zw[i % 5];
  const std::string out = Normalize(text);
  CheckWellFormed(out);
  CHECK(out == "free money");
  CHECK(Normalize(zw[0] + zw[1] + zw[2] + zw[3] + zw[4]) == "");
}

TEST_CASE("zero-width characters and bidi controls inside URLs and words are removed") {
  RunTable({
      {"zero-width space in a domain", "ex\xE2\x80\x8B" "ample.com", "_url_ _tld_com example"},
      {"zero-width space in a word", "v\xE2\x80\x8Biagra", "viagra"},
      {"zero-width space and a look-alike", "v\xE2\x80\x8B\xD1\x96" "agra", "viagra _mixed_script_"},
      {"zero-width joiner in an obfuscated host", "site\xE2\x80\x8D(.)com",
       "_url_ _tld_com site _obfuscated_"},
      {"right-to-left override", "cheap\xE2\x80\xAEpills\xE2\x80\xAC", "cheappills"},
      {"isolates around a URL", "\xE2\x81\xA6" "example.com\xE2\x81\xA9", "_url_ _tld_com example"},
  });
}

TEST_CASE("100 KB of emoji, URLs, obfuscated hosts or dot words gives bounded, well-formed output") {
  auto repeat = [](const std::string& piece) {
    std::string s;
    while (s.size() < 100 * 1024) s += piece;
    return s;
  };
  const std::string emoji = repeat("\xF0\x9F\x98\x80\xF0\x9F\x8F\xBD");
  const std::string spaced_emoji = repeat("\xF0\x9F\x98\x80 ");
  const std::string urls = repeat("http://spam.example.com/x ");
  const std::string obfuscated = repeat("site [.] com ");
  const std::string dots = repeat("a dot ");
  const std::string brackets = repeat("a[.]");
  const std::string mentions = repeat("@a#b");
  const std::string stars = repeat("\xE2\x98\x85\xE2\x98\x86");
  // Sizes, not contents: a failure must not print 100 KB.
  CHECK(Normalize(emoji) == "_emoji_");
  CHECK(Normalize(spaced_emoji) == "_emoji_ _emoji_");
  CHECK(Normalize(stars).size() < 32);
  for (const std::string* raw : {&urls, &obfuscated, &dots, &brackets, &mentions}) {
    const std::string out = Normalize(*raw);
    CheckWellFormed(out);
    CHECK(out.size() <= 6 * raw->size());  // linear: a few marker tokens per input token
  }
}

TEST_CASE("invalid UTF-8 and NUL bytes in every position come out well formed") {
  const std::string base =
      "site(.)com @bob #tag \xF0\x9F\x98\x80 v\xD1\x96" "agra www . x . com 0906 170 1461";
  for (const std::string& bad : {std::string("\xFF"), std::string("\x80"), std::string("\xE2\x82"),
                                std::string(1, '\0')}) {
    for (size_t i = 0; i <= base.size(); ++i) {
      std::string inserted = base;
      inserted.insert(i, bad);
      std::string replaced = base;
      if (i < base.size()) replaced.replace(i, 1, bad);
      CAPTURE(i);
      CheckWellFormed(Normalize(inserted));
      CheckWellFormed(Normalize(replaced));
    }
  }
}

TEST_CASE("invalid UTF-8 of every kind comes out as valid UTF-8") {
  const std::string cases[] = {
      "\xFF\xFE\xFD",                    // bytes that never occur in UTF-8
      "abc\xC3",                          // truncated two-byte sequence at the end
      "\xE2\x82 euro",                    // truncated three-byte sequence
      "\xC0\xAF overlong slash",          // overlong encoding
      "\xED\xA0\x80 surrogate",           // UTF-16 surrogate encoded in UTF-8
      "\xF4\x90\x80\x80 beyond U+10FFFF",
      "\x80\x80\x80 lone continuation bytes",
      std::string("nul\0inside", 11),
  };
  for (const std::string& raw : cases) {
    CAPTURE(raw);
    CheckWellFormed(Normalize(raw));
    core::Comment c;
    c.comment_content = raw;
    c.comment_author = raw;
    c.comment_author_email = raw;
    c.comment_author_url = raw;
    CheckWellFormed(ModelInput(c));
  }
}

TEST_CASE("a 100 KB comment stays well formed") {
  std::string big;
  const std::string piece =
      "Buy ch\xD0\xB5" "ap p\xE2\x80\x8Bills at http://pills.example.com/x?a=1 or call "
      "+1 (555) 010-0199!!! &amp; <b>now</b> \xEF\xBD\x86\xEF\xBD\x92\xEF\xBD\x85\xEF\xBD\x85 \xF0\x9F\x98\x80\xF0\x9F\x98\x80 ";
  while (big.size() < 100 * 1024) big += piece;
  std::string repeated(100 * 1024, 'a');
  std::string unclosed = "<a href=\"" + std::string(100 * 1024, 'x');
  // Speed is measured by scripts/bench-predict.sh, not here.
  for (const std::string* raw : {&big, &repeated, &unclosed}) {
    const std::string out = Normalize(*raw);
    core::Comment c;
    c.comment_content = *raw;
    const std::string input = ModelInput(c);
    CheckWellFormed(out);
    CheckWellFormed(input);
  }
  CHECK(Normalize(repeated) == "aa");
}

}  // TEST_SUITE

TEST_SUITE("text/model_input") {

TEST_CASE("raw is the text as written, one line, without labels") {
  core::Comment c;
  c.comment_content = "  Hello\r\n  WORLD\t__label__spam!  ";
  c.comment_author = "Jane";
  CHECK(ModelInput(c, InputMode::kRaw) == "Hello WORLD spam!");
}

TEST_CASE("normalized is Normalize(content), whatever the other fields hold") {
  core::Comment c;
  c.comment_content = "Hello\nWorld";
  c.comment_author = "Jane";
  c.comment_author_url = "http://example.com";
  CHECK(ModelInput(c, InputMode::kNormalized) == "hello world");
}

TEST_CASE("fields (the default) appends the field features to the normalized content") {
  core::Comment c;
  c.comment_content = "nice post";
  c.comment_author_url = "http://example.com";
  c.comment_author = "Cheap pills at pills.biz";
  CHECK(ModelInput(c) ==
        "nice post _author_words_4+ _author_has_url_ _has_author_url_ _aurl_tld_com _links_0 "
        "_len_3");
  CHECK(ModelInput(c, InputMode::kFields) == ModelInput(c));
}

TEST_CASE("input modes have names that round-trip") {
  for (InputMode m : {InputMode::kRaw, InputMode::kNormalized, InputMode::kFields}) {
    CHECK(ParseInputMode(InputModeName(m)) == m);
  }
  CHECK_FALSE(ParseInputMode("Fields").has_value());
  CHECK_FALSE(ParseInputMode("").has_value());
}

TEST_CASE("is one line without labels whatever the fields hold") {
  core::Comment c;
  c.comment_content = "a\n__label__ham\nb";
  c.comment_author = "x\ny";
  for (InputMode m : {InputMode::kRaw, InputMode::kNormalized, InputMode::kFields}) {
    std::string in = ModelInput(c, m);
    CHECK(in.find('\n') == std::string::npos);
    CHECK(in.find("__label__") == std::string::npos);
  }
}

}  // TEST_SUITE

}  // namespace
}  // namespace hamlet::text
