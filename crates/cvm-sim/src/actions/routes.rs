//! The routes of the actions emulated with the generated request and reply types, by resource group.

use cvm_proto::api::cvm::{
    AssociateInstancesKeyPairsRequest, AssociateSecurityGroupsRequest,
    CreateDisasterRecoverGroupRequest, CreateImageRequest, CreateKeyPairRequest,
    CreateLaunchTemplateRequest, CreateLaunchTemplateVersionRequest,
    DeleteDisasterRecoverGroupsRequest, DeleteImagesRequest, DeleteInstancesActionTimerRequest,
    DeleteKeyPairsRequest, DeleteLaunchTemplateRequest, DeleteLaunchTemplateVersionsRequest,
    DescribeAccountQuotaRequest, DescribeDisasterRecoverGroupQuotaRequest,
    DescribeDisasterRecoverGroupsRequest, DescribeImageQuotaRequest,
    DescribeImageSharePermissionRequest, DescribeInstanceFamilyConfigsRequest,
    DescribeInstanceInternetBandwidthConfigsRequest, DescribeInstanceVncUrlRequest,
    DescribeInstancesActionTimerRequest, DescribeInstancesAttributesRequest,
    DescribeInstancesModificationRequest, DescribeInstancesOperationLimitRequest,
    DescribeInternetChargeTypeConfigsRequest, DescribeKeyPairsRequest,
    DescribeLaunchTemplateVersionsRequest, DescribeLaunchTemplatesRequest,
    DescribeZoneInstanceConfigInfosRequest, DisassociateInstancesKeyPairsRequest,
    DisassociateSecurityGroupsRequest, ImportInstancesActionTimerRequest, ImportKeyPairRequest,
    InquiryPriceModifyInstancesChargeTypeRequest, InquiryPriceRenewInstancesRequest,
    InquiryPriceResetInstanceRequest, InquiryPriceResetInstancesInternetMaxBandwidthRequest,
    InquiryPriceResetInstancesTypeRequest, InquiryPriceResizeInstanceDisksRequest,
    InquiryPriceRunInstancesRequest, InquiryPriceTerminateInstancesRequest,
    ModifyDisasterRecoverGroupAttributeRequest, ModifyImageAttributeRequest,
    ModifyImageSharePermissionRequest, ModifyInstancesAttributeRequest,
    ModifyInstancesChargeTypeRequest, ModifyInstancesDisasterRecoverGroupRequest,
    ModifyInstancesProjectRequest, ModifyInstancesRenewFlagRequest, ModifyKeyPairAttributeRequest,
    ModifyLaunchTemplateDefaultVersionRequest, RenewInstancesRequest, ResetInstanceRequest,
    ResetInstancesInternetMaxBandwidthRequest, ResetInstancesPasswordRequest,
    ResetInstancesTypeRequest, ResizeInstanceDisksRequest, SyncImagesRequest,
};
use cvm_proto::Action;

use super::Handler;

/// Every action routed here, named by its generated request, with its handler.
pub(super) const MORE: &[(&str, Handler)] = &[
    // Key pairs.
    (
        CreateKeyPairRequest::NAME,
        Handler::Regional(|sim, call| sim.create_key_pair(call, call.parse()?)),
    ),
    (
        ImportKeyPairRequest::NAME,
        Handler::Regional(|sim, call| sim.import_key_pair(call, call.parse()?)),
    ),
    (
        DescribeKeyPairsRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_key_pairs(call, call.parse()?)),
    ),
    (
        ModifyKeyPairAttributeRequest::NAME,
        Handler::Regional(|sim, call| sim.modify_key_pair_attribute(call, call.parse()?)),
    ),
    (
        DeleteKeyPairsRequest::NAME,
        Handler::Regional(|sim, call| sim.delete_key_pairs(call, call.parse()?)),
    ),
    (
        AssociateInstancesKeyPairsRequest::NAME,
        Handler::Regional(|sim, call| sim.associate_instances_key_pairs(call, call.parse()?)),
    ),
    (
        DisassociateInstancesKeyPairsRequest::NAME,
        Handler::Regional(|sim, call| sim.disassociate_instances_key_pairs(call, call.parse()?)),
    ),
    // Instance settings.
    (
        ModifyInstancesAttributeRequest::NAME,
        Handler::Regional(|sim, call| sim.modify_instances_attribute(call, call.parse()?)),
    ),
    (
        ModifyInstancesProjectRequest::NAME,
        Handler::Regional(|sim, call| sim.modify_instances_project(call, call.parse()?)),
    ),
    (
        ResetInstancesPasswordRequest::NAME,
        Handler::Regional(|sim, call| sim.reset_instances_password(call, call.parse()?)),
    ),
    (
        AssociateSecurityGroupsRequest::NAME,
        Handler::Regional(|sim, call| sim.associate_security_groups(call, call.parse()?)),
    ),
    (
        DisassociateSecurityGroupsRequest::NAME,
        Handler::Regional(|sim, call| sim.disassociate_security_groups(call, call.parse()?)),
    ),
    (
        DescribeInstancesAttributesRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_instances_attributes(call, call.parse()?)),
    ),
    (
        DescribeInstanceVncUrlRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_instance_vnc_url(call, call.parse()?)),
    ),
    (
        DescribeInstancesOperationLimitRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_instances_operation_limit(call, call.parse()?)),
    ),
    // Custom images.
    (
        CreateImageRequest::NAME,
        Handler::Regional(|sim, call| sim.create_image(call, call.parse()?)),
    ),
    (
        ModifyImageAttributeRequest::NAME,
        Handler::Regional(|sim, call| sim.modify_image_attribute(call, call.parse()?)),
    ),
    (
        ModifyImageSharePermissionRequest::NAME,
        Handler::Regional(|sim, call| sim.modify_image_share_permission(call, call.parse()?)),
    ),
    (
        DescribeImageSharePermissionRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_image_share_permission(call, call.parse()?)),
    ),
    (
        DeleteImagesRequest::NAME,
        Handler::Regional(|sim, call| sim.delete_images(call, call.parse()?)),
    ),
    (
        SyncImagesRequest::NAME,
        Handler::Regional(|sim, call| sim.sync_images(call, call.parse()?)),
    ),
    // Placement groups.
    (
        CreateDisasterRecoverGroupRequest::NAME,
        Handler::Regional(|sim, call| sim.create_disaster_recover_group(call, call.parse()?)),
    ),
    (
        DescribeDisasterRecoverGroupsRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_disaster_recover_groups(call, call.parse()?)),
    ),
    (
        ModifyDisasterRecoverGroupAttributeRequest::NAME,
        Handler::Regional(|sim, call| {
            sim.modify_disaster_recover_group_attribute(call, call.parse()?)
        }),
    ),
    (
        DeleteDisasterRecoverGroupsRequest::NAME,
        Handler::Regional(|sim, call| sim.delete_disaster_recover_groups(call, call.parse()?)),
    ),
    (
        DescribeDisasterRecoverGroupQuotaRequest::NAME,
        Handler::Regional(|sim, call| {
            sim.describe_disaster_recover_group_quota(call, call.parse()?)
        }),
    ),
    (
        ModifyInstancesDisasterRecoverGroupRequest::NAME,
        Handler::Regional(|sim, call| {
            sim.modify_instances_disaster_recover_group(call, call.parse()?)
        }),
    ),
    // Launch templates.
    (
        CreateLaunchTemplateRequest::NAME,
        Handler::Regional(|sim, call| sim.create_launch_template(call, call.parse()?)),
    ),
    (
        DescribeLaunchTemplatesRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_launch_templates(call, call.parse()?)),
    ),
    (
        CreateLaunchTemplateVersionRequest::NAME,
        Handler::Regional(|sim, call| sim.create_launch_template_version(call, call.parse()?)),
    ),
    (
        DescribeLaunchTemplateVersionsRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_launch_template_versions(call, call.parse()?)),
    ),
    (
        ModifyLaunchTemplateDefaultVersionRequest::NAME,
        Handler::Regional(|sim, call| {
            sim.modify_launch_template_default_version(call, call.parse()?)
        }),
    ),
    (
        DeleteLaunchTemplateVersionsRequest::NAME,
        Handler::Regional(|sim, call| sim.delete_launch_template_versions(call, call.parse()?)),
    ),
    (
        DeleteLaunchTemplateRequest::NAME,
        Handler::Regional(|sim, call| sim.delete_launch_template(call, call.parse()?)),
    ),
    // Action timers.
    (
        ImportInstancesActionTimerRequest::NAME,
        Handler::Regional(|sim, call| sim.import_instances_action_timer(call, call.parse()?)),
    ),
    (
        DescribeInstancesActionTimerRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_instances_action_timer(call, call.parse()?)),
    ),
    (
        DeleteInstancesActionTimerRequest::NAME,
        Handler::Regional(|sim, call| sim.delete_instances_action_timer(call, call.parse()?)),
    ),
    // Reconfiguring instances.
    (
        ResetInstanceRequest::NAME,
        Handler::Regional(|sim, call| sim.reset_instance(call, call.parse()?)),
    ),
    (
        ResetInstancesTypeRequest::NAME,
        Handler::Regional(|sim, call| sim.reset_instances_type(call, call.parse()?)),
    ),
    (
        ResizeInstanceDisksRequest::NAME,
        Handler::Regional(|sim, call| sim.resize_instance_disks(call, call.parse()?)),
    ),
    (
        ResetInstancesInternetMaxBandwidthRequest::NAME,
        Handler::Regional(|sim, call| {
            sim.reset_instances_internet_max_bandwidth(call, call.parse()?)
        }),
    ),
    (
        ModifyInstancesChargeTypeRequest::NAME,
        Handler::Regional(|sim, call| sim.modify_instances_charge_type(call, call.parse()?)),
    ),
    (
        RenewInstancesRequest::NAME,
        Handler::Regional(|sim, call| sim.renew_instances(call, call.parse()?)),
    ),
    (
        ModifyInstancesRenewFlagRequest::NAME,
        Handler::Regional(|sim, call| sim.modify_instances_renew_flag(call, call.parse()?)),
    ),
    (
        DescribeInstancesModificationRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_instances_modification(call, call.parse()?)),
    ),
    (
        DescribeInstanceInternetBandwidthConfigsRequest::NAME,
        Handler::Regional(|sim, call| {
            sim.describe_instance_internet_bandwidth_configs(call, call.parse()?)
        }),
    ),
    // Quotas.
    (
        DescribeAccountQuotaRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_account_quota(call, call.parse()?)),
    ),
    (
        DescribeImageQuotaRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_image_quota(call, call.parse()?)),
    ),
    // What is on sale, and how it is billed.
    (
        DescribeInstanceFamilyConfigsRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_instance_family_configs(call, call.parse()?)),
    ),
    (
        DescribeInternetChargeTypeConfigsRequest::NAME,
        Handler::Regional(|sim, call| {
            sim.describe_internet_charge_type_configs(call, call.parse()?)
        }),
    ),
    (
        DescribeZoneInstanceConfigInfosRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_zone_instance_config_infos(call, call.parse()?)),
    ),
    // Prices.
    (
        InquiryPriceRunInstancesRequest::NAME,
        Handler::Regional(|sim, call| sim.inquiry_price_run_instances(call, call.parse()?)),
    ),
    (
        InquiryPriceRenewInstancesRequest::NAME,
        Handler::Regional(|sim, call| sim.inquiry_price_renew_instances(call, call.parse()?)),
    ),
    (
        InquiryPriceModifyInstancesChargeTypeRequest::NAME,
        Handler::Regional(|sim, call| {
            sim.inquiry_price_modify_instances_charge_type(call, call.parse()?)
        }),
    ),
    (
        InquiryPriceResetInstancesTypeRequest::NAME,
        Handler::Regional(|sim, call| sim.inquiry_price_reset_instances_type(call, call.parse()?)),
    ),
    (
        InquiryPriceResizeInstanceDisksRequest::NAME,
        Handler::Regional(|sim, call| sim.inquiry_price_resize_instance_disks(call, call.parse()?)),
    ),
    (
        InquiryPriceResetInstanceRequest::NAME,
        Handler::Regional(|sim, call| sim.inquiry_price_reset_instance(call, call.parse()?)),
    ),
    (
        InquiryPriceResetInstancesInternetMaxBandwidthRequest::NAME,
        Handler::Regional(|sim, call| {
            sim.inquiry_price_reset_instances_internet_max_bandwidth(call, call.parse()?)
        }),
    ),
    (
        InquiryPriceTerminateInstancesRequest::NAME,
        Handler::Regional(|sim, call| sim.inquiry_price_terminate_instances(call, call.parse()?)),
    ),
];
