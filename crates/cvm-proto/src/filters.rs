//! Builders for the documented `Filters` of DescribeInstances and DescribeImages, so that filter
//! names cannot be misspelled. Values given for the same name are ORed; different names are ANDed.

use thiserror::Error;

use crate::models::{Filter, InstanceState};

/// The filter names `DescribeInstances` documents; `tag:KEY` is accepted besides.
pub const INSTANCE_FILTER_NAMES: &[&str] = &[
    "zone",
    "project-id",
    "host-id",
    "dedicated-cluster-id",
    "vpc-id",
    "subnet-id",
    "instance-id",
    "uuid",
    "security-group-id",
    "instance-name",
    "instance-charge-type",
    "instance-state",
    "private-ip-address",
    "public-ip-address",
    "ipv6-address",
    "tag-key",
    "tag-value",
    "creation-start-time",
    "creation-end-time",
];

/// The filter names `DescribeImages` documents; `tag:KEY` is accepted besides.
pub const IMAGE_FILTER_NAMES: &[&str] = &[
    "image-id",
    "image-type",
    "image-name",
    "platform",
    "tag-key",
    "tag-value",
    "dedicated-cluster-id",
    "cdc-cache-status",
];

/// A filter name the action does not document: the service would match nothing (or refuse it),
/// so it is caught before sending.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FilterError {
    /// The name is not one of the action's filters.
    #[error("unknown filter {name:?}{}; known: {}", suggestion.map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default(), known.join(", "))]
    Unknown {
        /// The name given.
        name: String,
        /// The nearest known name, when one is close.
        suggestion: Option<&'static str>,
        /// Every known name.
        known: &'static [&'static str],
    },
}

/// Checks every filter's name against `known` (one of the lists above); `tag:KEY` always passes.
pub fn check_names(known: &'static [&'static str], filters: &[Filter]) -> Result<(), FilterError> {
    for filter in filters {
        let name = filter.name.as_str();
        let tagged = name.strip_prefix("tag:").is_some_and(|key| !key.is_empty());
        if !tagged && !known.contains(&name) {
            return Err(FilterError::Unknown {
                name: name.to_owned(),
                suggestion: nearest(name, known),
                known,
            });
        }
    }
    Ok(())
}

/// The known name within a few edits of `name`, if there is one.
pub(crate) fn nearest(name: &str, known: &[&'static str]) -> Option<&'static str> {
    let limit = (name.len() / 3).max(2);
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over bytes.
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Appends `value` to the filter named `name`, creating it if needed.
fn add(filters: &mut Vec<Filter>, name: &str, value: String) {
    match filters.iter_mut().find(|f| f.name == name) {
        Some(f) => f.values.push(value),
        None => filters.push(Filter::new(name, [value])),
    }
}

macro_rules! filter_methods {
    ($($(#[$doc:meta])* $method:ident => $name:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $method(mut self, value: impl Into<String>) -> Self {
                add(&mut self.0, $name, value.into());
                self
            }
        )*
    };
}

/// Filters for `DescribeInstances`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InstanceFilters(Vec<Filter>);

impl InstanceFilters {
    /// No filters yet.
    pub fn new() -> Self {
        Self::default()
    }

    filter_methods! {
        /// `zone`: the availability zone, e.g. `ap-guangzhou-2`.
        zone => "zone";
        /// `project-id`: the project.
        project_id => "project-id";
        /// `host-id`: the CDH host.
        host_id => "host-id";
        /// `dedicated-cluster-id`: the CDC cluster.
        dedicated_cluster_id => "dedicated-cluster-id";
        /// `vpc-id`: the VPC.
        vpc_id => "vpc-id";
        /// `subnet-id`: the subnet.
        subnet_id => "subnet-id";
        /// `instance-id`: an instance id.
        instance_id => "instance-id";
        /// `uuid`: the instance UUID.
        uuid => "uuid";
        /// `security-group-id`: a security group.
        security_group_id => "security-group-id";
        /// `instance-name`: the instance name.
        instance_name => "instance-name";
        /// `instance-charge-type`: PREPAID, POSTPAID_BY_HOUR, ...
        instance_charge_type => "instance-charge-type";
        /// `private-ip-address`: a private IPv4 address.
        private_ip_address => "private-ip-address";
        /// `public-ip-address`: a public IPv4 address.
        public_ip_address => "public-ip-address";
        /// `ipv6-address`: an IPv6 address.
        ipv6_address => "ipv6-address";
        /// `tag-key`: instances with this tag key.
        tag_key => "tag-key";
        /// `tag-value`: instances with this tag value.
        tag_value => "tag-value";
        /// `creation-start-time`: created at or after this time.
        creation_start_time => "creation-start-time";
        /// `creation-end-time`: created at or before this time.
        creation_end_time => "creation-end-time";
    }

    /// `instance-state`: instances in this state.
    pub fn instance_state(mut self, state: &InstanceState) -> Self {
        add(&mut self.0, "instance-state", state.as_str().to_owned());
        self
    }

    /// `tag:<key>`: instances whose tag `key` has `value`.
    pub fn tag(mut self, key: &str, value: impl Into<String>) -> Self {
        add(&mut self.0, &format!("tag:{key}"), value.into());
        self
    }

    /// The filters, ready for a request's `filters` field.
    pub fn build(self) -> Vec<Filter> {
        self.0
    }
}

/// Filters for `DescribeImages`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageFilters(Vec<Filter>);

impl ImageFilters {
    /// No filters yet.
    pub fn new() -> Self {
        Self::default()
    }

    filter_methods! {
        /// `image-id`: an image id.
        image_id => "image-id";
        /// `image-type`: PRIVATE_IMAGE, PUBLIC_IMAGE or SHARED_IMAGE.
        image_type => "image-type";
        /// `image-name`: the image name.
        image_name => "image-name";
        /// `platform`: e.g. CentOS, Ubuntu, Windows.
        platform => "platform";
        /// `tag-key`: images with this tag key.
        tag_key => "tag-key";
        /// `tag-value`: images with this tag value.
        tag_value => "tag-value";
        /// `dedicated-cluster-id`: the CDC cluster.
        dedicated_cluster_id => "dedicated-cluster-id";
        /// `cdc-cache-status`: the CDC cache status.
        cdc_cache_status => "cdc-cache-status";
    }

    /// `tag:<key>`: images whose tag `key` has `value`.
    pub fn tag(mut self, key: &str, value: impl Into<String>) -> Self {
        add(&mut self.0, &format!("tag:{key}"), value.into());
        self
    }

    /// The filters, ready for a request's `filters` field.
    pub fn build(self) -> Vec<Filter> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flatten::to_params;
    use crate::models::DescribeInstancesRequest;

    #[test]
    fn same_name_values_are_ored_in_one_filter() {
        let filters = InstanceFilters::new()
            .zone("ap-guangzhou-2")
            .instance_state(&InstanceState::Running)
            .zone("ap-guangzhou-3")
            .tag("env", "prod")
            .build();
        let req = DescribeInstancesRequest {
            filters,
            ..Default::default()
        };
        let p = to_params(&req).unwrap();
        let got: Vec<(&str, &str)> = p.iter().collect();
        assert_eq!(
            got,
            [
                ("Filters.0.Name", "zone"),
                ("Filters.0.Values.0", "ap-guangzhou-2"),
                ("Filters.0.Values.1", "ap-guangzhou-3"),
                ("Filters.1.Name", "instance-state"),
                ("Filters.1.Values.0", "RUNNING"),
                ("Filters.2.Name", "tag:env"),
                ("Filters.2.Values.0", "prod"),
            ]
        );
        assert_eq!(
            ImageFilters::new()
                .image_type("PUBLIC_IMAGE")
                .platform("Ubuntu")
                .build()
                .len(),
            2
        );
    }

    #[test]
    fn filter_names_are_checked_with_a_suggestion() {
        let ok = InstanceFilters::new().zone("z").tag("env", "prod").build();
        assert_eq!(check_names(INSTANCE_FILTER_NAMES, &ok), Ok(()));
        let typo = vec![Filter::new("instance-stat", ["RUNNING"])];
        let err = check_names(INSTANCE_FILTER_NAMES, &typo).unwrap_err();
        assert!(
            matches!(
                &err,
                FilterError::Unknown {
                    suggestion: Some("instance-state"),
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            err.to_string().contains("did you mean \"instance-state\""),
            "{err}"
        );
        let far = vec![Filter::new("colour", ["red"])];
        assert!(matches!(
            check_names(IMAGE_FILTER_NAMES, &far),
            Err(FilterError::Unknown {
                suggestion: None,
                ..
            })
        ));
        assert!(check_names(IMAGE_FILTER_NAMES, &[Filter::new("tag:", ["x"])]).is_err());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        // Every builder method names a documented filter.
        let all = InstanceFilters::new()
            .zone("a")
            .project_id("a")
            .host_id("a")
            .dedicated_cluster_id("a")
            .vpc_id("a")
            .subnet_id("a")
            .instance_id("a")
            .uuid("a")
            .security_group_id("a")
            .instance_name("a")
            .instance_charge_type("a")
            .private_ip_address("a")
            .public_ip_address("a")
            .ipv6_address("a")
            .tag_key("a")
            .tag_value("a")
            .creation_start_time("a")
            .creation_end_time("a")
            .instance_state(&InstanceState::Running)
            .build();
        assert_eq!(check_names(INSTANCE_FILTER_NAMES, &all), Ok(()));
        let images = ImageFilters::new()
            .image_id("a")
            .image_type("a")
            .image_name("a")
            .platform("a")
            .tag_key("a")
            .tag_value("a")
            .dedicated_cluster_id("a")
            .cdc_cache_status("a")
            .build();
        assert_eq!(check_names(IMAGE_FILTER_NAMES, &images), Ok(()));
    }
}
