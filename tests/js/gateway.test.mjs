// The gateway modelling through the wasm package, compared with the native CLI:
// profileDetails(), the expiry switch, warnDays and the forecast, fixTruststore()
// and authorize().

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';

import { CLI, FIXTURES, FIXTURE_AT, findingCodes, loadPackage, runCli, withoutTool } from './support.mjs';

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/GET/orders';

function fixtureText(name) {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

function restEvent(pem) {
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    requestContext: { identity: { clientCert: { clientCertPem: pem, serialNumber: '1' } } },
  };
}

function httpEvent(pem) {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: METHOD_ARN,
    requestContext: { authentication: { clientCert: { clientCertPem: pem } } },
  };
}

// Runs the CLI without adding --format (for commands whose output is not a report).
function runRaw(args) {
  const result = spawnSync(CLI, args, { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('gateway modelling through wasm', () => {
  test('profileDetails equals the CLI listing', async () => {
    const mtls = await loadPackage();
    const details = mtls.profileDetails();
    const cli = JSON.parse(runRaw(['profiles', '--format', 'json']).stdout);
    assert.deepEqual(details, cli);
    assert.deepEqual(details.map((p) => p.name), mtls.profiles());
    const alb = details.find((p) => p.name === 'alb');
    assert.equal(alb.limits.find((l) => l.name === 'rsa').value, '2048 to 8192 bits');
  });

  test('ignoreClientExpiry accepts an expired client on alb only', async () => {
    const mtls = await loadPackage();
    const chain = fixtureText('expired-leaf-chain.pem');
    const truststore = fixtureText('p256-truststore.pem');
    const report = mtls.verifyChain(chain, truststore, { profile: 'alb', at: FIXTURE_AT, ignoreClientExpiry: true });
    assert.equal(report.verdict, 'accept');
    const cli = runCli([
      'verify', path.join(FIXTURES, 'expired-leaf-chain.pem'),
      '--truststore', path.join(FIXTURES, 'p256-truststore.pem'),
      '--profile', 'alb', '--at', FIXTURE_AT, '--ignore-client-expiry',
    ]);
    assert.deepEqual(withoutTool(report), withoutTool(cli.report));
    assert.throws(
      () => mtls.verifyChain(chain, truststore, { profile: 'apigw-rest', at: FIXTURE_AT, ignoreClientExpiry: true }),
      /no option to accept expired/,
    );
  });

  test('warnDays and the forecast match the CLI', async () => {
    const mtls = await loadPackage();
    const file = path.join(FIXTURES, 'expiring-soon-inter-truststore.pem');
    const narrow = mtls.lintTruststore(readFileSync(file), { at: FIXTURE_AT, warnDays: 5 });
    assert.ok(!findingCodes(narrow).includes('cert.expiring-soon'));
    const wide = mtls.lintTruststore(readFileSync(file), { at: FIXTURE_AT, warnDays: 30 });
    assert.ok(findingCodes(wide).includes('cert.expiring-soon'));
    assert.ok(wide.forecast.first_refusal.startsWith('2030-06-25'));
    const cli = runCli(['lint', file, '--at', FIXTURE_AT, '--warn-days', '5']);
    assert.deepEqual(withoutTool(narrow), withoutTool(cli.report));
  });

  test('fixTruststore equals lint --fix', async () => {
    const mtls = await loadPackage();
    const dir = mkdtempSync(path.join(tmpdir(), 'mtls-check-fix-'));
    try {
      for (const name of ['duplicate-truststore.pem', 'pkcs8-key-truststore.pem', 'bom-crlf-truststore.pem']) {
        const input = path.join(FIXTURES, name);
        const output = path.join(dir, name);
        const fixed = mtls.fixTruststore(readFileSync(input), { profile: 'alb', at: FIXTURE_AT });
        const cli = runCli(['lint', input, '--profile', 'alb', '--at', FIXTURE_AT, '--fix', '-o', output]);
        assert.equal(fixed.truststore, readFileSync(output, 'utf8'), name);
        assert.deepEqual(withoutTool(fixed.report), withoutTool(cli.report), name);
        assert.equal(fixed.report.verdict, 'pass', name);
        assert.ok(findingCodes(fixed.report).some((code) => code.startsWith('fix.')), name);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('authorize returns the REST and HTTP responses the CLI prints', async () => {
    const mtls = await loadPackage();
    const pem = fixtureText('p256-leaf.pem');
    const policy = { truststore: fixtureText('p256-truststore.pem') };
    const rest = mtls.authorize(restEvent(pem), policy, { at: FIXTURE_AT });
    assert.equal(rest.policyDocument.Statement[0].Effect, 'Allow');
    assert.equal(rest.principalId, 'CN=client-001,O=Example');

    const http = mtls.authorize(JSON.stringify(httpEvent(pem)), JSON.stringify(policy), { at: FIXTURE_AT });
    assert.equal(http.isAuthorized, true);

    const denied = mtls.authorize(restEvent(pem), { subjectPatterns: ['CN=admin-*'] }, { at: FIXTURE_AT });
    assert.equal(denied.policyDocument.Statement[0].Effect, 'Deny');
    assert.match(denied.context.reasonCodes, /policy\.subject-not-allowed/);

    const dir = mkdtempSync(path.join(tmpdir(), 'mtls-check-authorize-'));
    try {
      writeFileSync(path.join(dir, 'event.json'), JSON.stringify(restEvent(pem)));
      writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(policy));
      const cli = runRaw(['authorize', path.join(dir, 'event.json'), '--policy', path.join(dir, 'policy.json'), '--at', FIXTURE_AT]);
      assert.equal(cli.status, 0, cli.stderr);
      assert.deepEqual(JSON.parse(cli.stdout), rest);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.throws(() => mtls.authorize(restEvent(pem), { allowedIsuers: [] }), /invalid policy/);
  });
});
