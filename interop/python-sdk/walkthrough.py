#!/usr/bin/env python3
"""Interop walkthrough: official Tencent Cloud Python SDK (cvm v20170312) against cvm-sim.

Runs the seed walkthrough for every sign method x request method:
  a. DescribeInstanceTypeConfigs (zone=ap-guangzhou-2, instance-family=S2) -> pick CPU 2 / Memory 4
  b. RunInstances (the seed request, built with models.RunInstancesRequest().from_json_string)
  c. poll DescribeInstancesStatus until RUNNING (60 s)
  d. TerminateInstances; poll DescribeInstances until gone or TERMINATED (60 s)
  e. DescribeZones with a wrong SecretKey must raise AuthFailure.SignatureFailure

Every reply is also checked against the SDK's response model: fields the model declares but the
reply lacks ("missing"), fields the reply has that the model does not know ("extra"), and any
exception or warning while deserialising.

Usage:
  venv/bin/python walkthrough.py [--sim-out sim.out] [--endpoint 127.0.0.1:PORT]
                                 [--secret-id ID --secret-key KEY] [--only TC3-HMAC-SHA256:POST ...]
Without --endpoint/--secret-*, they are read from the emulator's stdout file (--sim-out).
Writes results.json and requests.log (every request/reply of failing steps) next to this file.
"""
import argparse
import importlib.metadata
import json
import os
import re
import sys
import time
import traceback
import warnings

from tencentcloud.common import credential
from tencentcloud.common.abstract_model import AbstractModel
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.http import request as sdk_request
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client, models
import tencentcloud

HERE = os.path.dirname(os.path.abspath(__file__))
REGION = "ap-guangzhou"
ZONE = "ap-guangzhou-2"
SIGN_METHODS = ["TC3-HMAC-SHA256", "HmacSHA256", "HmacSHA1"]
REQ_METHODS = ["POST", "GET"]
POLL_TIMEOUT = 60.0

# ---------------------------------------------------------------------------------------------
# Instrumentation: record each request the SDK sends and each reply, and check replies against
# the response models.
# ---------------------------------------------------------------------------------------------
TRAFFIC = []          # list of dicts: method, url, header, data, status, reply
MODEL_ISSUES = []     # list of dicts: action/model, path, kind, detail

_orig_send = sdk_request.ApiRequest.send_request


def _logged_send(self, req_inter):
    entry = {
        "method": req_inter.method,
        "host": req_inter.host,
        "uri": req_inter.uri,
        "header": dict(req_inter.header),
        "data": req_inter.data if isinstance(req_inter.data, str) else repr(req_inter.data),
    }
    TRAFFIC.append(entry)
    resp = _orig_send(self, req_inter)
    entry["status"] = resp.status_code
    entry["resp_headers"] = dict(resp.headers)
    try:
        entry["reply"] = resp.content.decode("utf-8", "replace")
    except Exception:  # pragma: no cover
        entry["reply"] = repr(resp.content)
    return resp


sdk_request.ApiRequest.send_request = _logged_send


def _model_fields(model):
    return {k[1:]: v for k, v in vars(model).items() if k.startswith("_") and k != "_headers"}


def _compare(model, raw, path, issues):
    """Compare a deserialised model with the raw dict it came from."""
    if not isinstance(raw, dict):
        issues.append({"path": path, "kind": "type", "detail": "expected object, got %r" % type(raw).__name__})
        return
    fields = _model_fields(model)
    for name, value in fields.items():
        sub = "%s.%s" % (path, name)
        if name not in raw:
            issues.append({"path": sub, "kind": "missing", "detail": "field declared by %s absent from reply"
                           % type(model).__name__})
            continue
        rv = raw[name]
        if isinstance(value, AbstractModel):
            _compare(value, rv, sub, issues)
        elif isinstance(value, list):
            if not isinstance(rv, list):
                issues.append({"path": sub, "kind": "type", "detail": "expected array"})
                continue
            for i, (mv, r) in enumerate(zip(value, rv)):
                if isinstance(mv, AbstractModel):
                    _compare(mv, r, "%s[%d]" % (sub, i), issues)
    for name in raw:
        if name not in fields:
            issues.append({"path": "%s.%s" % (path, name), "kind": "extra",
                           "detail": "reply field unknown to %s (dropped by SDK)" % type(model).__name__})


def _wrap_response_model(cls):
    """cvm_client.py does `model = models.XResponse(); model._deserialize(response["Response"])`
    itself (it does not go through AbstractClient._process_response_json), so the check hooks the
    top-level response models' _deserialize."""
    orig = cls._deserialize

    def _deserialize(self, params):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                orig(self, params)
            except Exception as e:
                MODEL_ISSUES.append({"model": cls.__name__, "path": "Response", "kind": "exception",
                                     "detail": "%s: %s" % (type(e).__name__, e)})
                raise
        for w in caught:
            MODEL_ISSUES.append({"model": cls.__name__, "path": "Response", "kind": "warning",
                                 "detail": str(w.message)})
        issues = []
        _compare(self, params, "Response", issues)
        for i in issues:
            i["model"] = cls.__name__
            MODEL_ISSUES.append(i)

    cls._deserialize = _deserialize


for _name in dir(models):
    _cls = getattr(models, _name)
    if (_name.endswith("Response") and isinstance(_cls, type) and issubclass(_cls, AbstractModel)
            and "_RequestId" in vars(_cls())):
        _wrap_response_model(_cls)


# ---------------------------------------------------------------------------------------------
# The walkthrough
# ---------------------------------------------------------------------------------------------
class StepFailure(Exception):
    def __init__(self, step, detail, exc=None):
        super().__init__(detail)
        self.step = step
        self.detail = detail
        self.exc = exc


def make_client(endpoint, secret_id, secret_key, sign_method, req_method):
    cred = credential.Credential(secret_id, secret_key)
    http_profile = HttpProfile(endpoint=endpoint, protocol="http", reqMethod=req_method)
    http_profile.scheme = "http"  # HttpProfile(protocol="http") already sets this; be explicit
    if sign_method == "TC3-HMAC-SHA256":
        client_profile = ClientProfile(httpProfile=http_profile)  # the default sign method
        assert client_profile.signMethod == "TC3-HMAC-SHA256"
    else:
        client_profile = ClientProfile(httpProfile=http_profile, signMethod=sign_method)
    return cvm_client.CvmClient(cred, REGION, client_profile)


def step(name, fn):
    try:
        return fn()
    except StepFailure:
        raise
    except TencentCloudSDKException as e:
        raise StepFailure(name, "TencentCloudSDKException code=%s message=%s requestId=%s"
                          % (e.get_code(), e.get_message(), e.get_request_id()), e)
    except Exception as e:
        raise StepFailure(name, "%s: %s\n%s" % (type(e).__name__, e, traceback.format_exc()), e)


def walkthrough(endpoint, secret_id, secret_key, sign_method, req_method, log):
    client = make_client(endpoint, secret_id, secret_key, sign_method, req_method)

    # a. DescribeInstanceTypeConfigs
    def a():
        req = models.DescribeInstanceTypeConfigsRequest()
        req.from_json_string(json.dumps({"Filters": [
            {"Name": "zone", "Values": [ZONE]},
            {"Name": "instance-family", "Values": ["S2"]},
        ]}))
        resp = client.DescribeInstanceTypeConfigs(req)
        picks = [c for c in (resp.InstanceTypeConfigSet or []) if c.CPU == 2 and c.Memory == 4]
        if not picks:
            raise StepFailure("a", "no CPU 2 / Memory 4 type in reply: %s" % resp.to_json_string())
        log("  a. DescribeInstanceTypeConfigs -> %d configs, picked %s (RequestId %s)"
            % (len(resp.InstanceTypeConfigSet), picks[0].InstanceType, resp.RequestId))
        return picks[0].InstanceType
    instance_type = step("a. DescribeInstanceTypeConfigs", a)

    # b. RunInstances
    def b():
        req = models.RunInstancesRequest()
        req.from_json_string(json.dumps({
            "InstanceChargeType": "POSTPAID_BY_HOUR",
            "Placement": {"Zone": ZONE},
            "InstanceType": instance_type,
            "ImageId": "img-pmqg1cw7",
            "SystemDisk": {"DiskType": "LOCAL_BASIC", "DiskSize": 50},
            "DataDisks": [{"DiskType": "LOCAL_BASIC", "DiskSize": 100}],
            "InternetAccessible": {"InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR",
                                   "InternetMaxBandwidthOut": 10, "PublicIpAssigned": True},
            "InstanceCount": 1,
            "InstanceName": "QCLOUD-TEST",
            "LoginSettings": {"Password": "Qcloud@TestApi123++"},
            "EnhancedService": {"SecurityService": {"Enabled": True},
                                "MonitorService": {"Enabled": True}},
        }))
        resp = client.RunInstances(req)
        ids = resp.InstanceIdSet or []
        if len(ids) != 1:
            raise StepFailure("b", "expected 1 InstanceId, got %r" % ids)
        log("  b. RunInstances -> %s (RequestId %s)" % (ids[0], resp.RequestId))
        return ids[0]
    instance_id = step("b. RunInstances", b)

    # c. poll DescribeInstancesStatus until RUNNING
    def c():
        deadline = time.monotonic() + POLL_TIMEOUT
        seen = []
        while True:
            req = models.DescribeInstancesStatusRequest()
            req.from_json_string(json.dumps({"InstanceIds": [instance_id]}))
            resp = client.DescribeInstancesStatus(req)
            states = [s.InstanceState for s in (resp.InstanceStatusSet or []) if s.InstanceId == instance_id]
            state = states[0] if states else None
            if not seen or seen[-1] != state:
                seen.append(state)
            if state == "RUNNING":
                log("  c. DescribeInstancesStatus states seen: %s" % " -> ".join(map(str, seen)))
                return
            if time.monotonic() > deadline:
                raise StepFailure("c", "not RUNNING after %ds; states seen %s" % (POLL_TIMEOUT, seen))
            time.sleep(1)
    step("c. DescribeInstancesStatus poll", c)

    # d. TerminateInstances, poll DescribeInstances until gone or TERMINATED
    def d():
        req = models.TerminateInstancesRequest()
        req.from_json_string(json.dumps({"InstanceIds": [instance_id]}))
        resp = client.TerminateInstances(req)
        log("  d. TerminateInstances (RequestId %s)" % resp.RequestId)
        deadline = time.monotonic() + POLL_TIMEOUT
        seen = []
        while True:
            req = models.DescribeInstancesRequest()
            req.from_json_string(json.dumps({"InstanceIds": [instance_id]}))
            resp = client.DescribeInstances(req)
            found = [i for i in (resp.InstanceSet or []) if i.InstanceId == instance_id]
            state = found[0].InstanceState if found else "<gone>"
            if not seen or seen[-1] != state:
                seen.append(state)
            if state in ("<gone>", "TERMINATED"):
                log("  d. DescribeInstances states seen: %s" % " -> ".join(seen))
                return
            if time.monotonic() > deadline:
                raise StepFailure("d", "still present after %ds; states seen %s" % (POLL_TIMEOUT, seen))
            time.sleep(1)
    step("d. TerminateInstances + DescribeInstances poll", d)

    # e. wrong SecretKey -> AuthFailure.SignatureFailure
    def e():
        bad = make_client(endpoint, secret_id, secret_key + "-wrong", sign_method, req_method)
        try:
            resp = bad.DescribeZones(models.DescribeZonesRequest())
        except TencentCloudSDKException as ex:
            if ex.get_code() != "AuthFailure.SignatureFailure":
                raise StepFailure("e", "wrong exception: code=%s message=%s requestId=%s"
                                  % (ex.get_code(), ex.get_message(), ex.get_request_id()), ex)
            log("  e. wrong key -> %s: %s (RequestId %s)" % (ex.get_code(), ex.get_message(), ex.get_request_id()))
            return
        raise StepFailure("e", "DescribeZones with a wrong SecretKey succeeded: %s" % resp.to_json_string())
    step("e. DescribeZones with wrong SecretKey", e)


def sdk_versions():
    out = []
    for dist in ("tencentcloud-sdk-python-common", "tencentcloud-sdk-python-cvm", "tencentcloud-sdk-python"):
        try:
            out.append("%s %s" % (dist, importlib.metadata.version(dist)))
        except importlib.metadata.PackageNotFoundError:
            pass
    return ", ".join(out) + " (tencentcloud.__version__ %s)" % tencentcloud.__version__


def parse_sim_out(path):
    text = open(path).read()
    m = re.search(r"listening on http://([0-9.]+:\d+)/", text)
    sid = re.search(r"SecretId=(\S+)", text)
    skey = re.search(r"SecretKey[^:]*:\s*(\S+)", text)
    if not (m and sid and skey):
        sys.exit("cannot read endpoint/credentials from %s:\n%s" % (path, text))
    return m.group(1), sid.group(1), skey.group(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim-out", default=os.path.join(HERE, "sim.out"))
    ap.add_argument("--endpoint")
    ap.add_argument("--secret-id")
    ap.add_argument("--secret-key")
    ap.add_argument("--only", nargs="*", help="SIGN:METHOD cells to run, e.g. HmacSHA1:GET")
    args = ap.parse_args()
    endpoint, sid, skey = args.endpoint, args.secret_id, args.secret_key
    if not (endpoint and sid and skey):
        e2, s2, k2 = parse_sim_out(args.sim_out)
        endpoint, sid, skey = endpoint or e2, sid or s2, skey or k2
    if not endpoint.startswith("127.0.0.1:"):
        sys.exit("refusing to talk to anything but 127.0.0.1: %s" % endpoint)

    print("SDK: %s; endpoint http://%s" % (sdk_versions(), endpoint))
    results = []
    reqlog = open(os.path.join(HERE, "requests.log"), "w")
    for sm in SIGN_METHODS:
        for rm in REQ_METHODS:
            if args.only and "%s:%s" % (sm, rm) not in args.only:
                continue
            print("== %s x %s" % (sm, rm))
            TRAFFIC.clear()
            issues_before = len(MODEL_ISSUES)
            cell = {"sign": sm, "method": rm}
            try:
                walkthrough(endpoint, sid, skey, sm, rm, print)
                cell["result"] = "PASS"
            except StepFailure as f:
                cell["result"] = "FAIL"
                cell["step"] = f.step
                cell["detail"] = f.detail
                print("  FAIL at %s: %s" % (f.step, f.detail))
                reqlog.write("### %s x %s failed at %s\n%s\n" % (sm, rm, f.step, f.detail))
                for t in TRAFFIC[-3:]:
                    reqlog.write(json.dumps(t, indent=2, ensure_ascii=False) + "\n")
                reqlog.flush()
            cell["requests"] = len(TRAFFIC)
            cell["model_issues"] = MODEL_ISSUES[issues_before:]
            for i in cell["model_issues"]:
                print("  model: %s %s %s: %s" % (i["model"], i["kind"], i["path"], i["detail"]))
            results.append(cell)

    # de-duplicated model issues over all cells
    uniq = sorted({(i["model"], i["kind"], re.sub(r"\[\d+\]", "[]", i["path"]), i["detail"]) for i in MODEL_ISSUES})
    print("\nResponse-model check (unique over all cells): %d issue(s)" % len(uniq))
    for u in uniq:
        print("  %s %s %s: %s" % u)

    print("\n%-17s | %-6s | %-6s" % ("sign \\ method", "POST", "GET"))
    print("-" * 36)
    for sm in SIGN_METHODS:
        row = []
        for rm in REQ_METHODS:
            c = [r for r in results if r["sign"] == sm and r["method"] == rm]
            row.append(c[0]["result"] if c else "-")
        print("%-17s | %-6s | %-6s" % (sm, row[0], row[1]))
    with open(os.path.join(HERE, "results.json"), "w") as f:
        json.dump({"sdk": sdk_versions(), "endpoint": endpoint, "cells": results,
                   "model_issues_unique": uniq}, f, indent=2, ensure_ascii=False)
    return 0 if all(r["result"] == "PASS" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
