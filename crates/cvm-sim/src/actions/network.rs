//! Networking: `RunInstances`' public access, security group and VPC checks, and the addresses
//! and network settings a new instance gets.

use std::collections::HashSet;
use std::net::Ipv4Addr;

use cvm_proto::models::{InternetAccessible, RunInstancesRequest, VirtualPrivateCloud};
use rand::Rng;

use super::{has_id_form, one_of, range};
use crate::error::{ApiFailure, ApiResult};
use crate::sim::Sim;

/// Documentation address blocks (RFC 5737), so that no emulated public address belongs to anyone.
const PUBLIC_POOLS: [[u8; 3]; 3] = [[203, 0, 113], [198, 51, 100], [192, 0, 2]];
/// The internet charge types `RunInstances` accepts.
pub(super) const INTERNET_CHARGE_TYPES: [&str; 4] = [
    "BANDWIDTH_PREPAID",
    "TRAFFIC_POSTPAID_BY_HOUR",
    "BANDWIDTH_POSTPAID_BY_HOUR",
    "BANDWIDTH_PACKAGE",
];

impl Sim {
    /// Checks `InternetAccessible` for `count` instances and returns whether each gets a public IP.
    pub(super) fn check_internet(
        &self,
        req: &RunInstancesRequest,
        count: usize,
    ) -> ApiResult<bool> {
        let internet = req.internet_accessible.clone().unwrap_or_default();
        if let Some(t) = &internet.internet_charge_type {
            one_of(
                "InternetAccessible.InternetChargeType",
                t,
                &INTERNET_CHARGE_TYPES,
            )?;
        }
        let bandwidth = internet.internet_max_bandwidth_out.unwrap_or(0);
        range(
            "InternetAccessible.InternetMaxBandwidthOut",
            bandwidth,
            0,
            200,
        )?;
        if internet.public_ip_assigned == Some(true) && bandwidth == 0 {
            return Err(ApiFailure::combination(
                "`InternetAccessible.PublicIpAssigned` may be true only when `InternetMaxBandwidthOut` is greater than 0.",
            ));
        }
        if let Some(id) = &internet.bandwidth_package_id {
            if !has_id_form(id, "bwp-") {
                return Err(ApiFailure::new(
                    "InvalidParameterValue.BandwidthPackageIdMalformed",
                    format!("The bandwidth package ID `{id}` is malformed; it looks like `bwp-xxxxxxxx`."),
                ));
            }
        }
        let public_ip = bandwidth > 0 && internet.public_ip_assigned != Some(false);
        if public_ip && self.free_public_ips() < count {
            return Err(ApiFailure::new(
                "ResourcesSoldOut.EipInsufficient",
                "Public IP addresses are sold out.",
            ));
        }
        Ok(public_ip)
    }

    /// Checks the VPC for `count` instances and returns the private IPs asked for, in canonical form.
    pub(super) fn check_vpc(
        &self,
        vpc: Option<&VirtualPrivateCloud>,
        count: usize,
    ) -> ApiResult<Vec<String>> {
        let Some(vpc) = vpc else {
            return Ok(Vec::new());
        };
        check_vpc_ids(vpc)?;
        if vpc.private_ip_addresses.is_empty() {
            return Ok(Vec::new());
        }
        if vpc.private_ip_addresses.len() != count {
            return Err(ApiFailure::combination("The number of `VirtualPrivateCloud.PrivateIpAddresses` must equal `InstanceCount`."));
        }
        self.check_private_ips(&vpc.private_ip_addresses)
    }

    /// The private IPs asked for, in canonical form, each well-formed, free and asked for once.
    fn check_private_ips(&self, ips: &[String]) -> ApiResult<Vec<String>> {
        let mut private_ips = Vec::new();
        let mut seen = HashSet::new();
        for ip in ips {
            let canonical = ip
                .parse::<Ipv4Addr>()
                .map_err(|_| {
                    ApiFailure::new(
                        "InvalidParameterValue.IPAddressMalformed",
                        format!("The IP address `{ip}` is malformed."),
                    )
                })?
                .to_string();
            if self.used_ips.contains(&canonical) || !seen.insert(canonical.clone()) {
                return Err(ApiFailure::new(
                    "VpcIpIsUsed",
                    format!("The private IP `{ip}` is already in use."),
                ));
            }
            private_ips.push(canonical);
        }
        Ok(private_ips)
    }

    /// The private IP of a new instance: the one asked for (checked free), or a random free one.
    pub(super) fn assign_private_ip(&mut self, requested: Option<&String>) -> String {
        match requested {
            Some(ip) => {
                self.used_ips.insert(ip.clone());
                ip.clone()
            }
            None => self.alloc_private_ip(),
        }
    }

    /// The public IPs of a new instance: one if `wanted` and any is left, else none.
    pub(super) fn assign_public_ips(&mut self, wanted: bool) -> Vec<String> {
        if wanted {
            self.alloc_public_ip().into_iter().collect()
        } else {
            Vec::new()
        }
    }

    fn alloc_private_ip(&mut self) -> String {
        for _ in 0..256 {
            let r = self.rng.next_u32();
            let ip = format!(
                "10.{}.{}.{}",
                r >> 24,
                (r >> 16) & 0xff,
                2 + (r & 0xffff) % 253
            );
            if self.used_ips.insert(ip.clone()) {
                return ip;
            }
        }
        for n in 0u32..(1 << 24) {
            let ip = format!("10.{}.{}.{}", n >> 16, (n >> 8) & 0xff, n & 0xff);
            if n & 0xff >= 2 && n & 0xff <= 254 && self.used_ips.insert(ip.clone()) {
                return ip;
            }
        }
        "10.255.255.254".to_owned()
    }

    fn free_public_ips(&self) -> usize {
        let used = self
            .used_ips
            .iter()
            .filter(|ip| {
                PUBLIC_POOLS
                    .iter()
                    .any(|p| ip.starts_with(&format!("{}.{}.{}.", p[0], p[1], p[2])))
            })
            .count();
        (PUBLIC_POOLS.len() * 253).saturating_sub(used)
    }

    fn alloc_public_ip(&mut self) -> Option<String> {
        let candidate = |pool: usize, host: u32| {
            let p = PUBLIC_POOLS[pool % PUBLIC_POOLS.len()];
            format!("{}.{}.{}.{}", p[0], p[1], p[2], 2 + host % 253)
        };
        for _ in 0..64 {
            let r = self.rng.next_u32();
            let ip = candidate((r >> 16) as usize, r & 0xffff);
            if self.used_ips.insert(ip.clone()) {
                return Some(ip);
            }
        }
        for pool in 0..PUBLIC_POOLS.len() {
            for host in 0..253 {
                let ip = candidate(pool, host);
                if self.used_ips.insert(ip.clone()) {
                    return Some(ip);
                }
            }
        }
        None
    }
}

/// Checks the form of the VPC and subnet ids.
fn check_vpc_ids(vpc: &VirtualPrivateCloud) -> ApiResult<()> {
    let vpc_id = super::given(vpc.vpc_id.as_deref(), "VirtualPrivateCloud.VpcId")?;
    if !has_id_form(vpc_id, "vpc-") {
        return Err(ApiFailure::new(
            "InvalidParameterValue.VpcIdMalformed",
            format!("The VPC ID `{vpc_id}` is malformed; it looks like `vpc-xxxxxxxx`."),
        ));
    }
    let subnet_id = super::given(vpc.subnet_id.as_deref(), "VirtualPrivateCloud.SubnetId")?;
    if !has_id_form(subnet_id, "subnet-") {
        return Err(ApiFailure::new(
            "InvalidParameterValue.SubnetIdMalformed",
            format!("The subnet ID `{subnet_id}` is malformed; it looks like `subnet-xxxxxxxx`."),
        ));
    }
    Ok(())
}

/// Checks the form of the security group ids, and that there are at most 5.
pub(super) fn check_security_groups(ids: &[String]) -> ApiResult<()> {
    if let Some(sg) = ids.iter().find(|s| !has_id_form(s, "sg-")) {
        return Err(ApiFailure::new(
            "InvalidSgId.Malformed",
            format!("The security group ID `{sg}` is malformed; it looks like `sg-xxxxxxxx`."),
        ));
    }
    if ids.len() > 5 {
        return Err(ApiFailure::new(
            "LimitExceeded.AssociateUSGLimitExceeded",
            "An instance can join at most 5 security groups.",
        ));
    }
    Ok(())
}

/// A new instance's public network settings, with the service's defaults filled in.
pub(super) fn internet_info(req: &RunInstancesRequest) -> InternetAccessible {
    let mut info = req.internet_accessible.clone().unwrap_or_default();
    info.internet_charge_type
        .get_or_insert_with(|| "TRAFFIC_POSTPAID_BY_HOUR".to_owned());
    info.internet_max_bandwidth_out.get_or_insert(0);
    info
}

/// A new instance's VPC, if any; its private IPs are reported with the instance instead.
pub(super) fn vpc_info(req: &RunInstancesRequest) -> Option<VirtualPrivateCloud> {
    req.virtual_private_cloud.clone().map(|mut info| {
        info.private_ip_addresses.clear();
        info.as_vpc_gateway.get_or_insert(false);
        info
    })
}
