//! The default catalog: regions and zones, instance types and public images modelled on the real service.

use cvm_proto::models::Image;

use crate::config::{InstanceTypeSpec, RegionConfig, ZoneConfig};

const CN_NUMBERS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

fn zone(region: &str, city_cn: &str, city_en: &str, n: usize, id: &str) -> ZoneConfig {
    ZoneConfig {
        zone: format!("{region}-{n}"),
        zone_id: id.to_owned(),
        name: format!("{city_cn}{}区", CN_NUMBERS.get(n).copied().unwrap_or("")),
        name_en: format!("{city_en} Zone {n}"),
        state: "AVAILABLE".to_owned(),
    }
}

fn region(
    region: &str,
    name: &str,
    name_en: &str,
    city: (&str, &str),
    alias: &str,
    zones: &[(usize, &str)],
) -> RegionConfig {
    RegionConfig {
        region: region.to_owned(),
        name: name.to_owned(),
        name_en: name_en.to_owned(),
        state: "AVAILABLE".to_owned(),
        aliases: vec![alias.to_owned()],
        zones: zones
            .iter()
            .map(|&(n, id)| zone(region, city.0, city.1, n, id))
            .collect(),
    }
}

/// Guangzhou, Shanghai, Beijing and Hong Kong with their zones and numeric zone ids.
pub fn regions() -> Vec<RegionConfig> {
    vec![
        region(
            "ap-guangzhou",
            "华南地区(广州)",
            "South China(Guangzhou)",
            ("广州", "Guangzhou"),
            "gz",
            &[
                (2, "100002"),
                (3, "100003"),
                (4, "100004"),
                (6, "100006"),
                (7, "100007"),
            ],
        ),
        region(
            "ap-shanghai",
            "华东地区(上海)",
            "East China(Shanghai)",
            ("上海", "Shanghai"),
            "sh",
            &[(2, "200002"), (3, "200003"), (4, "200004"), (5, "200005")],
        ),
        region(
            "ap-beijing",
            "华北地区(北京)",
            "North China(Beijing)",
            ("北京", "Beijing"),
            "bj",
            &[(3, "800003"), (5, "800005"), (6, "800006"), (7, "800007")],
        ),
        region(
            "ap-hongkong",
            "港澳台地区(中国香港)",
            "Hong Kong, Macau and Taiwan (China)(Hong Kong)",
            ("香港", "Hong Kong"),
            "hk",
            &[(2, "300002"), (3, "300003")],
        ),
    ]
}

fn family(
    name: &str,
    sizes: &[(&str, i64, i64)],
    gpu: i64,
    zones: &[&str],
) -> Vec<InstanceTypeSpec> {
    sizes
        .iter()
        .map(|&(size, cpu, memory)| InstanceTypeSpec {
            instance_type: format!("{name}.{size}"),
            family: name.to_owned(),
            cpu,
            memory,
            gpu,
            zones: zones.iter().map(|z| (*z).to_owned()).collect(),
        })
        .collect()
}

/// Families S1, S2, S5, SA2, M5 and GN7 in realistic sizes; `S1.SMALL1` and `S2.MEDIUM4` are in `ap-guangzhou-2`.
pub fn instance_types() -> Vec<InstanceTypeSpec> {
    const STANDARD: &[(&str, i64, i64)] = &[
        ("SMALL1", 1, 1),
        ("SMALL2", 1, 2),
        ("SMALL4", 1, 4),
        ("MEDIUM2", 2, 2),
        ("MEDIUM4", 2, 4),
        ("MEDIUM8", 2, 8),
        ("LARGE8", 4, 8),
        ("LARGE16", 4, 16),
        ("2XLARGE16", 8, 16),
        ("2XLARGE32", 8, 32),
    ];
    const MEMORY: &[(&str, i64, i64)] = &[
        ("SMALL8", 1, 8),
        ("MEDIUM16", 2, 16),
        ("LARGE32", 4, 32),
        ("2XLARGE64", 8, 64),
    ];
    let mut all = Vec::new();
    all.extend(family(
        "S1",
        &STANDARD[..8],
        0,
        &[
            "ap-guangzhou-2",
            "ap-guangzhou-3",
            "ap-shanghai-2",
            "ap-beijing-3",
        ],
    ));
    all.extend(family(
        "S2",
        STANDARD,
        0,
        &[
            "ap-guangzhou-2",
            "ap-guangzhou-3",
            "ap-guangzhou-4",
            "ap-shanghai-2",
            "ap-shanghai-3",
            "ap-beijing-3",
            "ap-beijing-5",
        ],
    ));
    all.extend(family(
        "S5",
        STANDARD,
        0,
        &[
            "ap-guangzhou-3",
            "ap-guangzhou-4",
            "ap-guangzhou-6",
            "ap-guangzhou-7",
            "ap-shanghai-2",
            "ap-shanghai-3",
            "ap-shanghai-4",
            "ap-shanghai-5",
            "ap-beijing-3",
            "ap-beijing-5",
            "ap-beijing-6",
            "ap-beijing-7",
            "ap-hongkong-2",
            "ap-hongkong-3",
        ],
    ));
    all.extend(family(
        "SA2",
        STANDARD,
        0,
        &[
            "ap-guangzhou-3",
            "ap-guangzhou-4",
            "ap-guangzhou-6",
            "ap-shanghai-2",
            "ap-shanghai-4",
            "ap-shanghai-5",
            "ap-beijing-5",
            "ap-beijing-6",
            "ap-beijing-7",
            "ap-hongkong-2",
        ],
    ));
    all.extend(family(
        "M5",
        MEMORY,
        0,
        &[
            "ap-guangzhou-3",
            "ap-guangzhou-4",
            "ap-shanghai-2",
            "ap-shanghai-4",
            "ap-beijing-5",
            "ap-beijing-6",
        ],
    ));
    all.extend(family(
        "GN7",
        &[("2XLARGE32", 8, 32), ("5XLARGE80", 20, 80)],
        1,
        &[
            "ap-guangzhou-3",
            "ap-guangzhou-4",
            "ap-shanghai-4",
            "ap-beijing-5",
        ],
    ));
    all
}

fn image(
    id: &str,
    os: &str,
    platform: &str,
    size: i64,
    arch: &str,
    kind: &str,
    created: &str,
) -> Image {
    let official = kind == "PUBLIC_IMAGE";
    Image {
        image_id: Some(id.to_owned()),
        os_name: Some(os.to_owned()),
        image_type: Some(kind.to_owned()),
        created_time: Some(created.to_owned()),
        image_name: Some(os.to_owned()),
        image_description: Some(os.to_owned()),
        image_size: Some(size),
        architecture: Some(arch.to_owned()),
        image_state: Some("NORMAL".to_owned()),
        platform: Some(platform.to_owned()),
        image_creator: Some(if official {
            String::new()
        } else {
            "100000000001".to_owned()
        }),
        image_source: Some(if official { "OFFICIAL" } else { "CREATE_IMAGE" }.to_owned()),
        sync_percent: None,
        is_support_cloudinit: Some(platform != "Windows"),
        snapshot_set: Vec::new(),
        tags: Vec::new(),
        license_type: Some("TencentCloud".to_owned()),
        image_family: None,
        image_deprecated: Some(false),
        cdc_cache_status: None,
    }
}

/// Public Linux and Windows images (including `img-pmqg1cw7`) and one private image.
pub fn images() -> Vec<Image> {
    vec![
        image(
            "img-pmqg1cw7",
            "CentOS 7.6 64位",
            "CentOS",
            20,
            "x86_64",
            "PUBLIC_IMAGE",
            "2019-04-15T06:46:07Z",
        ),
        image(
            "img-l8og963d",
            "CentOS 7.9 64位",
            "CentOS",
            20,
            "x86_64",
            "PUBLIC_IMAGE",
            "2021-03-02T08:21:45Z",
        ),
        image(
            "img-22trbn9x",
            "Ubuntu Server 20.04 LTS 64位",
            "Ubuntu",
            20,
            "x86_64",
            "PUBLIC_IMAGE",
            "2020-05-20T03:12:11Z",
        ),
        image(
            "img-487zeit5",
            "Ubuntu Server 22.04 LTS 64位",
            "Ubuntu",
            20,
            "x86_64",
            "PUBLIC_IMAGE",
            "2022-05-09T02:40:38Z",
        ),
        image(
            "img-6ns5om13",
            "Debian 11.1 64位",
            "Debian",
            20,
            "x86_64",
            "PUBLIC_IMAGE",
            "2021-11-10T07:31:52Z",
        ),
        image(
            "img-eb30mz89",
            "TencentOS Server 3.1 (TK4)",
            "TencentOS",
            20,
            "x86_64",
            "PUBLIC_IMAGE",
            "2021-09-28T12:00:03Z",
        ),
        image(
            "img-hg0bvjyl",
            "TencentOS Server 3.1 (TK4) for ARM",
            "TencentOS",
            20,
            "arm",
            "PUBLIC_IMAGE",
            "2022-01-18T09:16:27Z",
        ),
        image(
            "img-9id7emv7",
            "Windows Server 2019 数据中心版 64位中文版",
            "Windows",
            50,
            "x86_64",
            "PUBLIC_IMAGE",
            "2020-01-06T11:05:44Z",
        ),
        image(
            "img-mmytdhbn",
            "Windows Server 2016 数据中心版 64位英文版",
            "Windows",
            50,
            "x86_64",
            "PUBLIC_IMAGE",
            "2018-08-30T10:01:19Z",
        ),
        image(
            "img-p7tq2w9c",
            "my-golden-image",
            "CentOS",
            50,
            "x86_64",
            "PRIVATE_IMAGE",
            "2023-06-01T04:00:00Z",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_entries_exist() {
        let types = instance_types();
        let has = |t: &str, cpu, mem| {
            types.iter().any(|s| {
                s.instance_type == t
                    && s.cpu == cpu
                    && s.memory == mem
                    && s.zones.iter().any(|z| z == "ap-guangzhou-2")
            })
        };
        assert!(has("S1.SMALL1", 1, 1));
        assert!(has("S2.MEDIUM4", 2, 4));
        assert!(images()
            .iter()
            .any(|i| i.image_id.as_deref() == Some("img-pmqg1cw7")));
        let r = regions();
        assert_eq!(r[0].zones[0].name, "广州二区");
        assert!(r.iter().all(|r| r
            .zones
            .iter()
            .all(|z| z.zone_id.bytes().all(|b| b.is_ascii_digit()))));
        for t in &types {
            for z in &t.zones {
                assert!(
                    r.iter().any(|r| r.zones.iter().any(|x| &x.zone == z)),
                    "{z}"
                );
            }
        }
    }
}
