#!/usr/bin/env node
// Times the official Tencent Cloud Node.js SDK (tencentcloud-sdk-nodejs-common) signing the
// walkthrough's RunInstances with signature v1 (HmacSHA256, POST), as `benches/report` compares
// it with cvm. No network: only the SDK's own signing code runs, called as its client calls it.
//
// - median_ns: signing an already flat parameter map, as AbstractClient.formatRequestData does
//   it: `client.formatSignString(params)` (sorts the keys, builds
//   `POSTcvm.tencentcloudapi.com/?k=v&...`) and `Sign.sign(secretKey, signStr, "HmacSHA256")`
//   (HMAC-SHA256, base64).
// - sign_encode_median_ns: the same, plus storing `Signature` into the map and form-encoding it
//   with `querystring.stringify`, as HttpConnection.doRequest builds the POST body (each timed
//   call gets its own copy of the map, made before the round starts).
// - build_median_ns: the whole request build the SDK does before fetch:
//   `client.mergeData(request)` (flatten), `await client.formatRequestData("RunInstances", params)`
//   (common parameters, random Nonce, current Timestamp, sort, sign) and `querystring.stringify`.
//
// Before timing, the SDK's string to sign and signature for the fixed Timestamp/Nonce are checked
// against a string to sign built here and an HMAC taken here with node's crypto, and against the
// signature recorded below; the build's output is checked the same way. Exits non-zero on any
// mismatch. Prints one JSON object on stdout.
"use strict";

const crypto = require("crypto");
const querystring = require("querystring");
const path = require("path");

const SDK = "tencentcloud-sdk-nodejs-common";
const sdkDir = path.dirname(require.resolve(`${SDK}/package.json`));
const sdkVersion = require(`${SDK}/package.json`).version;
const { AbstractClient } = require(SDK);
// The signer is not exported from the package's index: the module AbstractClient itself uses.
const Sign = require(path.join(sdkDir, "tencentcloud", "common", "sign.js")).default;

const SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const TIMESTAMP = 1465185768;
const NONCE = 11886;
const SIGN_METHOD = "HmacSHA256";
const REQUEST_CLIENT = "SDK_NODEJS_" + sdkVersion;
// The SDK's signature of FLAT below with REQUEST_CLIENT for 4.1.220 (checked only at that version,
// as RequestClient carries the version).
const KNOWN = { "4.1.220": "h5yvpjwxkTJwUf2CJMFPJEtOnocfOA1ct+6e3qWehx8=" };

const WALKTHROUGH = {
  InstanceChargeType: "POSTPAID_BY_HOUR",
  Placement: { Zone: "ap-guangzhou-2" },
  InstanceType: "S1.SMALL1",
  ImageId: "img-pmqg1cw7",
  SystemDisk: { DiskType: "LOCAL_BASIC", DiskSize: 50 },
  DataDisks: [{ DiskSize: 100, DiskType: "LOCAL_BASIC" }],
  InternetAccessible: {
    InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR",
    InternetMaxBandwidthOut: 10,
    PublicIpAssigned: true,
  },
  InstanceCount: 1,
  InstanceName: "QCLOUD-TEST",
  LoginSettings: { Password: "Qcloud@TestApi123++" },
  EnhancedService: {
    SecurityService: { Enabled: true },
    MonitorService: { Enabled: true },
  },
};

// The walkthrough flattened into the v1 parameter map, with the common parameters the SDK's
// formatRequestData adds (Language because the client is configured with one, as cvm's context is).
const FLAT = {
  InstanceChargeType: "POSTPAID_BY_HOUR",
  "Placement.Zone": "ap-guangzhou-2",
  InstanceType: "S1.SMALL1",
  ImageId: "img-pmqg1cw7",
  "SystemDisk.DiskType": "LOCAL_BASIC",
  "SystemDisk.DiskSize": 50,
  "DataDisks.0.DiskSize": 100,
  "DataDisks.0.DiskType": "LOCAL_BASIC",
  "InternetAccessible.InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR",
  "InternetAccessible.InternetMaxBandwidthOut": 10,
  "InternetAccessible.PublicIpAssigned": true,
  InstanceCount: 1,
  InstanceName: "QCLOUD-TEST",
  "LoginSettings.Password": "Qcloud@TestApi123++",
  "EnhancedService.SecurityService.Enabled": true,
  "EnhancedService.MonitorService.Enabled": true,
  Action: "RunInstances",
  RequestClient: REQUEST_CLIENT,
  Nonce: NONCE,
  Timestamp: TIMESTAMP,
  Version: "2017-03-12",
  SecretId: SECRET_ID,
  Region: "ap-guangzhou",
  Language: "en-US",
  SignatureMethod: SIGN_METHOD,
};

function fail(msg) {
  process.stderr.write(`bench_signing: ${msg}\n`);
  process.exit(1);
}

// Configured as the SDK's users configure a CvmClient (which only adds typed methods on top).
const client = new AbstractClient("cvm.tencentcloudapi.com", "2017-03-12", {
  credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
  region: "ap-guangzhou",
  profile: { signMethod: SIGN_METHOD, httpProfile: { reqMethod: "POST" }, language: "en-US" },
});

// Independent of the SDK: the string to sign and its HMAC-SHA256, base64.
function referenceStringToSign(params) {
  const keys = Object.keys(params).filter((k) => k !== "Signature").sort();
  return "POSTcvm.tencentcloudapi.com/?" + keys.map((k) => `${k}=${params[k]}`).join("&");
}
function referenceSign(sts) {
  return crypto.createHmac("sha256", SECRET_KEY).update(sts, "utf8").digest("base64");
}

// The timed operations.
function sign(params) {
  return Sign.sign(client.credential.secretKey, client.formatSignString(params), client.profile.signMethod);
}
function signEncode(params) {
  params.Signature = sign(params);
  return querystring.stringify(params);
}
async function build() {
  const params = await client.formatRequestData("RunInstances", client.mergeData(WALKTHROUGH));
  return querystring.stringify(params);
}

function check() {
  const sts = client.formatSignString(FLAT);
  const want = referenceStringToSign(FLAT);
  if (sts !== want) fail(`string to sign differs:\n  sdk  ${sts}\n  here ${want}`);
  const sig = sign(FLAT);
  if (sig !== referenceSign(want)) fail(`signature differs: sdk ${sig}, here ${referenceSign(want)}`);
  if (KNOWN[sdkVersion] !== undefined && sig !== KNOWN[sdkVersion]) {
    fail(`signature ${sig} is not the recorded ${KNOWN[sdkVersion]}`);
  }
  const body = querystring.parse(signEncode(Object.assign({}, FLAT)));
  if (body.Signature !== sig || body["LoginSettings.Password"] !== "Qcloud@TestApi123++") {
    fail(`form body does not carry the signature: ${JSON.stringify(body)}`);
  }
}

async function checkBuild() {
  const body = querystring.parse(await build());
  const flat = client.mergeData(WALKTHROUGH);
  for (const k of Object.keys(FLAT)) {
    if (k === "Nonce" || k === "Timestamp") continue;
    const v = k in flat ? flat[k] : FLAT[k];
    if (body[k] !== String(v)) fail(`build: ${k}=${body[k]}, expected ${v}`);
  }
  const extra = Object.keys(body).filter((k) => !(k in FLAT) && k !== "Signature");
  if (extra.length) fail(`build: unexpected parameters ${extra}`);
  if (body.Signature !== referenceSign(referenceStringToSign(body))) fail("build: signature differs");
}

const ROUNDS = 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function timeSync(n, fn, makeArg) {
  let sink = 0;
  for (let i = 0; i < n; i++) sink += fn(makeArg ? makeArg() : FLAT).length; // warm-up
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const args = makeArg ? Array.from({ length: n }, makeArg) : null;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += fn(args ? args[i] : FLAT).length;
    rounds.push(Number(process.hrtime.bigint() - t0) / n);
  }
  if (sink === 0) fail("nothing signed");
  return rounds;
}

async function timeAsync(n, fn) {
  let sink = 0;
  for (let i = 0; i < n; i++) sink += (await fn()).length; // warm-up
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += (await fn()).length;
    rounds.push(Number(process.hrtime.bigint() - t0) / n);
  }
  if (sink === 0) fail("nothing built");
  return rounds;
}

async function main() {
  check();
  await checkBuild();
  const n = Number(process.env.CVM_NODE_BENCH_ITERS || 20000);
  const rounds = timeSync(n, sign);
  const signEncode_ = timeSync(n, signEncode, () => Object.assign({}, FLAT));
  const buildRounds = await timeAsync(n, build);
  const round1 = (xs) => xs.map((x) => Math.round(x * 10) / 10);
  process.stdout.write(
    JSON.stringify({
      median_ns: median(rounds),
      rounds: round1(rounds),
      sign_encode_median_ns: median(signEncode_),
      build_median_ns: median(buildRounds),
      build_rounds: round1(buildRounds),
      iterations: n,
      sdk: `${SDK}@${sdkVersion}`,
      node: process.version,
    }) + "\n",
  );
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
