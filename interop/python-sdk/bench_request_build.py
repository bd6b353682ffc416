"""Times the official Python SDK building one signed signature-v1 request, as `benches/report`
compares it with `cvm_proto::prepare_action`: the walkthrough's RunInstances as the SDK's typed
model, serialized, flattened, signed with HmacSHA256 and form-encoded for a POST (no network).
Prints one JSON object: {"median_ns": ..., "rounds": [...], "sdk": version}.
"""

import json
import sys
import timeit

from tencentcloud.common import credential
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client, models

WALKTHROUGH = {
    "InstanceChargeType": "POSTPAID_BY_HOUR",
    "Placement": {"Zone": "ap-guangzhou-2"},
    "InstanceType": "S1.SMALL1",
    "ImageId": "img-pmqg1cw7",
    "SystemDisk": {"DiskType": "LOCAL_BASIC", "DiskSize": 50},
    "DataDisks": [{"DiskSize": 100, "DiskType": "LOCAL_BASIC"}],
    "InternetAccessible": {
        "InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR",
        "InternetMaxBandwidthOut": 10,
        "PublicIpAssigned": True,
    },
    "InstanceCount": 1,
    "InstanceName": "QCLOUD-TEST",
    "LoginSettings": {"Password": "Qcloud@TestApi123++"},
    "EnhancedService": {
        "SecurityService": {"Enabled": True},
        "MonitorService": {"Enabled": True},
    },
}


def main():
    cred = credential.Credential("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")
    http = HttpProfile(endpoint="cvm.tencentcloudapi.com", reqMethod="POST")
    profile = ClientProfile(signMethod="HmacSHA256", httpProfile=http, language="en-US")
    client = cvm_client.CvmClient(cred, "ap-guangzhou", profile)
    request = models.RunInstancesRequest()
    request.from_json_string(json.dumps(WALKTHROUGH))

    def build():
        params = request._serialize()
        req = RequestInternal("cvm.tencentcloudapi.com", "POST", "/", header={})
        client._build_req_inter("RunInstances", params, req)
        return req.data

    assert "Signature=" in build()
    number = 2000
    rounds = [t / number * 1e9 for t in timeit.repeat(build, number=number, repeat=5)]
    rounds.sort()
    try:
        from tencentcloud import __version__ as version
    except ImportError:
        version = "unknown"
    print(json.dumps({"median_ns": rounds[len(rounds) // 2], "rounds": rounds, "sdk": version}))


if __name__ == "__main__":
    sys.exit(main())
