#!/usr/bin/env node
// npm akismet-api@6.0.0 against a running hamletd. Run by run-client.sh with HAMLET_PORT,
// HAMLET_KEY and NODE_PATH set; prints "GUID <name> <guid>" lines for the checks whose stored
// rows run-client.sh inspects. Exits non-zero on any failure.
//
// akismet-api sends verify-key to the root host and everything else to KEY.<host> (key only
// in the host name). dns.lookup is replaced so that "localhost" and "*.localhost" resolve to
// 127.0.0.1 and every other name is refused: hamletd sees Host: KEY.localhost:PORT, and
// nothing can leave the machine. http.request is wrapped to record X-akismet-guid, which
// checkSpam does not return.
'use strict';
const dns = require('dns');
const http = require('http');
const { AkismetClient } = require('akismet-api');

const PORT = Number(process.env.HAMLET_PORT);
const KEY = process.env.HAMLET_KEY;
if (!PORT || !KEY) { console.error('HAMLET_PORT and HAMLET_KEY must be set'); process.exit(2); }

dns.lookup = function localOnlyLookup(hostname, options, cb) {
  if (typeof options === 'function') { cb = options; options = {}; }
  if (typeof options === 'number') options = { family: options };
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options && options.all) return process.nextTick(cb, null, [{ address: '127.0.0.1', family: 4 }]);
    return process.nextTick(cb, null, '127.0.0.1', 4);
  }
  const err = Object.assign(new Error(`refusing to resolve ${hostname}`), { code: 'ENOTFOUND' });
  return process.nextTick(cb, err);
};

let lastGuid = null;
const originalRequest = http.request;
http.request = function recordingRequest(...args) {
  const req = originalRequest.apply(this, args);
  req.on('response', (res) => {
    lastGuid = res.headers['x-akismet-guid'] || null;
    const akismet = Object.entries(res.headers).filter(([k]) => k.startsWith('x-akismet'));
    console.error(`  ${req.method} http://${req.getHeader('host')}${req.path} -> ${res.statusCode}`,
      akismet.map(([k, v]) => `[${k}: ${v}]`).join(' '));
  });
  return req;
};

function client(key) {
  return new AkismetClient({ key, blog: 'http://example.test/', host: `localhost:${PORT}`,
    protocol: 'http', version: '1.1', userAgent: 'hamlet-client-test/1.0 | akismet-api/6.0.0',
    lang: 'en', charset: 'UTF-8' });
}

const base = { ip: '203.0.113.7', useragent: 'Mozilla/5.0 (X11; Linux x86_64)',
  referrer: 'http://example.test/post/1', permalink: 'http://example.test/post/1',
  type: 'comment', isTest: true };
const hookSpam = { ...base, name: 'viagra-test-123', content: 'test hook', honeypot: 'filled-by-bot' };
const realSpam = { ...base, name: 'Prize Team', email: 'win@prize.example',
  content: 'WINNER!! You have been selected to receive a 900 pounds prize reward! '
         + 'To claim call 09061701461. Claim code KL341. Valid 12 hours only.' };
const ham = { ...base, name: 'Jane Reader', email: 'jane@example.test',
  content: 'Thanks, the second paragraph answered my question.' };
const admin = { ...ham, role: 'administrator', content: 'Moderator note: thread locked.' };

let failures = 0;
async function expect(what, fn, want) {
  let got;
  try {
    got = await fn();
  } catch (err) {
    got = `ERROR ${err.code || ''} ${err.message}`;
  }
  const ok = got === want;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  if (!ok) failures++;
}

// KEY_PLACEMENT=body: every call goes to the root host with api_key in the body (public,
// undocumented properties), instead of the library's default KEY.<host> label.
function placeKey(c) {
  if (process.env.KEY_PLACEMENT === 'body') {
    c.endpoint = c.rootEndpoint;
    c.requestOpts.api_key = c.key;
  }
  return c;
}

(async () => {
  console.log(`key placement: ${process.env.KEY_PLACEMENT === 'body' ? 'api_key in the body' : 'Host label'}`);
  const good = placeKey(client(KEY));
  await expect('verify-key with an unknown key', () => client('0123456789ab').verifyKey(), false);
  await expect('verify-key with the site key', () => good.verifyKey(), true);
  await expect('comment-check, test hook viagra-test-123', () => good.checkSpam(hookSpam), true);
  await expect('comment-check, realistic prize spam', () => good.checkSpam(realSpam), true);
  const spamGuid = lastGuid;
  await expect('comment-check, ordinary comment', () => good.checkSpam(ham), false);
  const hamGuid = lastGuid;
  await expect('comment-check, user_role administrator', () => good.checkSpam(admin), false);
  await expect('X-akismet-guid on checks', async () => Boolean(spamGuid && hamGuid), true);
  // A check with an unknown key must be an error, never a verdict.
  await expect('comment-check with an unknown key rejects', () =>
    placeKey(client('0123456789ab')).checkSpam(ham).then(() => 'resolved', () => 'rejected'), 'rejected');
  // Modern placement: api_key in the body at the root host (public, undocumented properties).
  const modern = client(KEY);
  modern.endpoint = modern.rootEndpoint;
  modern.requestOpts.api_key = KEY;
  await expect('comment-check with api_key in the body', () => modern.checkSpam(hookSpam), true);
  // Submits resolve on any 2xx; the body is not read by this library.
  await expect('submit-spam', () => good.submitSpam(realSpam).then(() => 'ok'), 'ok');
  await expect('submit-ham', () => good.submitHam(ham).then(() => 'ok'), 'ok');
  if (spamGuid) console.log(`GUID spam ${spamGuid}`);
  if (hamGuid) console.log(`GUID ham ${hamGuid}`);
  process.exit(failures ? 1 : 0);
})();
