#!/usr/bin/env node
// npm @cedx/akismet@16.2.1 against a running hamletd. Run by run-client.sh with HAMLET_PORT,
// HAMLET_KEY and HAMLET_CLIENT_CACHE (where the package is installed) set; prints
// "GUID <name> <guid>" lines for the checks whose stored rows run-client.sh inspects.
// Exits non-zero on any failure.
//
// @cedx/akismet takes a base URL (no Host-label key): every call is POST <base>/1.1/<call>
// with api_key and blog in the body, verify-key included (no `key` field), is_test=1. It
// throws when an answer carries X-akismet-alert-code or X-akismet-debug-help, even on a 200
// true/false, and its submits insist on the exact Thanks sentence. global fetch is wrapped to
// record X-akismet-guid, which checkComment does not return.
import { createRequire } from 'node:module';
import path from 'node:path';

const PORT = Number(process.env.HAMLET_PORT);
const KEY = process.env.HAMLET_KEY;
const CACHE = process.env.HAMLET_CLIENT_CACHE;
if (!PORT || !KEY || !CACHE) {
  console.error('HAMLET_PORT, HAMLET_KEY and HAMLET_CLIENT_CACHE must be set');
  process.exit(2);
}
const require = createRequire(path.join(CACHE, 'package.json'));
const { Author, Blog, CheckResult, Client, Comment } = await import(require.resolve('@cedx/akismet'));

let lastGuid = null;
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  const response = await realFetch(url, init);
  lastGuid = response.headers.get('x-akismet-guid');
  const akismet = [...response.headers].filter(([k]) => k.startsWith('x-akismet'));
  console.error(`  ${init?.method ?? 'GET'} ${url} -> ${response.status}`,
    akismet.map(([k, v]) => `[${k}: ${v}]`).join(' '));
  return response;
};

const blog = new Blog({ url: 'http://example.test/', charset: 'UTF-8', languages: ['en'] });
const client = (key) => new Client(key, blog, { baseUrl: `http://127.0.0.1:${PORT}`, isTest: true,
  userAgent: 'hamlet-client-test/1.0 | cedx-akismet/16.2.1' });

const author = (fields) => new Author({ ipAddress: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', ...fields });
const hookSpam = new Comment({ author: author({ name: 'viagra-test-123' }), content: 'test hook',
  type: 'comment', context: ['pharmacy', 'offers'] });
const realSpam = new Comment({ author: author({ name: 'Prize Team', email: 'win@prize.example' }),
  content: 'WINNER!! You have been selected to receive a 900 pounds prize reward! '
         + 'To claim call 09061701461. Claim code KL341. Valid 12 hours only.', type: 'comment' });
const ham = new Comment({ author: author({ name: 'Jane Reader', email: 'jane@example.test' }),
  content: 'Thanks, the second paragraph answered my question.', type: 'comment' });
const admin = new Comment({ author: author({ name: 'Jane Reader', role: 'administrator' }),
  content: 'Moderator note: thread locked.', type: 'comment' });

const names = Object.fromEntries(Object.entries(CheckResult).map(([k, v]) => [v, k]));
let failures = 0;
async function expect(what, fn, want) {
  let got;
  try {
    got = await fn();
  } catch (err) {
    got = `ERROR ${err.cause?.code ?? ''} ${err.message}`;
  }
  const ok = got === want;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  if (!ok) failures++;
}

const good = client(KEY);
// verifyKey() turns transport errors into false, so an unknown key and a dead server look alike.
await expect('verify-key with an unknown key', () => client('0123456789ab').verifyKey(), false);
await expect('verify-key with the site key', () => good.verifyKey(), true);
await expect('comment-check, test hook viagra-test-123',
  async () => names[await good.checkComment(hookSpam)] !== 'ham', true);
await expect('comment-check, realistic prize spam',
  async () => names[await good.checkComment(realSpam)] !== 'ham', true);
const spamGuid = lastGuid;
await expect('comment-check, ordinary comment', async () => names[await good.checkComment(ham)], 'ham');
const hamGuid = lastGuid;
await expect('comment-check, user_role administrator',
  async () => names[await good.checkComment(admin)], 'ham');
await expect('X-akismet-guid on checks', async () => Boolean(spamGuid && hamGuid), true);
// An unknown key must be an error (body `invalid` + debug-help), never a verdict.
await expect('comment-check with an unknown key rejects', () =>
  client('0123456789ab').checkComment(ham).then(() => 'resolved', () => 'rejected'), 'rejected');
await expect('submit-spam', () => good.submitSpam(realSpam).then(() => 'ok'), 'ok');
await expect('submit-ham', () => good.submitHam(ham).then(() => 'ok'), 'ok');
if (spamGuid) console.log(`GUID spam ${spamGuid}`);
if (hamGuid) console.log(`GUID ham ${hamGuid}`);
process.exit(failures ? 1 : 0);
