#!/usr/bin/perl
# Debian's Net::Akismet 0.05 (libnet-akismet-perl) against a running hamletd.
# Run by run-client.sh with HAMLET_PORT and HAMLET_KEY set; prints "GUID <name> <guid>" lines
# for the checks whose stored rows run-client.sh inspects. Exits non-zero on any failure.
#
# Net::Akismet has no port or scheme option and sends comment-check/submit-* to
# http://KEY.SERVICE_HOST/ with the key only in the host name. "KEY.localhost" does not
# resolve through glibc here, so every LWP::UserAgent gets a request_prepare handler that
# connects to 127.0.0.1:PORT while keeping "Host: KEY.localhost:PORT": hamletd sees exactly
# the legacy wire form. A response_done handler records X-akismet-guid, which Net::Akismet
# does not expose.
use strict;
use warnings;
use LWP::UserAgent;
use Net::Akismet;

my $port = $ENV{HAMLET_PORT} or die "HAMLET_PORT not set\n";
my $key  = $ENV{HAMLET_KEY}  or die "HAMLET_KEY not set\n";
my $blog = 'http://example.test/';
my $last_guid;

{
    no warnings 'redefine';
    my $orig_new = \&LWP::UserAgent::new;
    *LWP::UserAgent::new = sub {
        my $ua = $orig_new->(@_);
        $ua->timeout(10);
        $ua->add_handler(request_prepare => sub {
            my ($req) = @_;
            my $uri = $req->uri->clone;
            die "refusing to contact " . $uri->host . "\n" unless $uri->host =~ /(^|\.)localhost$/;
            $req->header(Host => $uri->host_port);
            $uri->host('127.0.0.1');
            $req->uri($uri);
            return;
        });
        $ua->add_handler(response_done => sub {
            my ($res) = @_;
            $last_guid = $res->header('X-akismet-guid');
            printf STDERR "  %s http://%s%s -> %s %s\n", $res->request->method,
                $res->request->header('Host') // '?', $res->request->uri->path,
                $res->status_line, join(' ', map { "[$_: " . $res->header($_) . "]" }
                grep { /^x-akismet/i } $res->headers->header_field_names);
            return;
        });
        return $ua;
    };
}

my $failures = 0;
sub expect {
    my ($what, $got, $want) = @_;
    my $ok = defined $got && defined $want ? $got eq $want : !defined $got && !defined $want;
    printf "%s %s: got %s, want %s\n", ($ok ? 'ok  ' : 'FAIL'), $what,
        $got // 'undef', $want // 'undef';
    $failures++ unless $ok;
}

my %params = (URL => $blog, SERVICE_HOST => "localhost:$port", SERVICE_VERSION => '1.1',
              USER_AGENT => 'hamlet-client-test/1.0');

# verify-key happens inside new(): undef unless the answer is 2xx "valid".
expect('verify-key with an unknown key', Net::Akismet->new(%params, KEY => '0123456789ab'), undef);
my $akismet = Net::Akismet->new(%params, KEY => $key);
expect('verify-key with the site key', defined $akismet ? 'object' : undef, 'object');
exit 1 unless $akismet;

my %base = (USER_IP => '203.0.113.7', COMMENT_USER_AGENT => 'Mozilla/5.0 (X11; Linux x86_64)',
            REFERRER => 'http://example.test/post/1', PERMALINK => 'http://example.test/post/1',
            COMMENT_TYPE => 'comment');
my %hook_spam = (%base, COMMENT_AUTHOR => 'viagra-test-123', COMMENT_CONTENT => 'test hook');
my %real_spam = (%base, COMMENT_AUTHOR => 'Prize Team', COMMENT_AUTHOR_EMAIL => 'win@prize.example',
    COMMENT_CONTENT => 'WINNER!! You have been selected to receive a 900 pounds prize reward! '
                     . 'To claim call 09061701461. Claim code KL341. Valid 12 hours only.');
my %ham = (%base, COMMENT_AUTHOR => 'Jane Reader', COMMENT_AUTHOR_EMAIL => 'jane@example.test',
           COMMENT_CONTENT => 'Thanks, the second paragraph answered my question.');

expect('comment-check, test hook viagra-test-123', $akismet->check(%hook_spam), 'true');
expect('comment-check, realistic prize spam', $akismet->check(%real_spam), 'true');
my $spam_guid = $last_guid;
expect('comment-check, ordinary comment', $akismet->check(%ham), 'false');
my $ham_guid = $last_guid;
expect('X-akismet-guid on checks', (defined $spam_guid && defined $ham_guid) ? 'present' : undef,
       'present');

expect('submit-spam', $akismet->spam(%real_spam) ? 'ok' : undef, 'ok');
expect('submit-ham', $akismet->ham(%ham) ? 'ok' : undef, 'ok');

print "GUID spam $spam_guid\n" if $spam_guid;
print "GUID ham $ham_guid\n" if $ham_guid;
exit($failures ? 1 : 0);
