//! The routes of the actions emulated with the generated request and reply types, by resource group.

use cvm_proto::api::cvm::{
    AssociateInstancesKeyPairsRequest, AssociateSecurityGroupsRequest, CreateImageRequest,
    CreateKeyPairRequest, DeleteImagesRequest, DeleteKeyPairsRequest,
    DescribeImageSharePermissionRequest, DescribeInstanceVncUrlRequest,
    DescribeInstancesAttributesRequest, DescribeInstancesOperationLimitRequest,
    DescribeKeyPairsRequest, DisassociateInstancesKeyPairsRequest,
    DisassociateSecurityGroupsRequest, ImportKeyPairRequest, ModifyImageAttributeRequest,
    ModifyImageSharePermissionRequest, ModifyInstancesAttributeRequest,
    ModifyInstancesProjectRequest, ModifyKeyPairAttributeRequest, ResetInstancesPasswordRequest,
    SyncImagesRequest,
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
];
