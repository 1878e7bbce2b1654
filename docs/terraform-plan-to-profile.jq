# The plan API's body for one azurerm_kubernetes_cluster of a Terraform plan, for `quarkus-run.jar check -`:
#
#   terraform show -json plan.tfplan \
#     | jq --arg cluster aks-prod --argjson subnets '{"default": "10.240.0.0/16"}' -f docs/terraform-plan-to-profile.jq
#
# $cluster is the cluster's `name`. $subnets maps each pool's vnet_subnet_id to its address prefix, as the plan API's
# `subnets`; a pool whose subnet is created by the same plan has no id yet and uses the key "default".
# Every azurerm_kubernetes_cluster_node_pool of the plan is taken as a pool of this cluster: one cluster per plan.
# Attribute names are azurerm 4.x's (auto_scaling_enabled), with 3.x's enable_auto_scaling as a fallback.

def present: with_entries(select(.value != null));

def pool:
  { name: .name,
    count: (.node_count // .min_count // 0),
    enableAutoScaling: (.auto_scaling_enabled // .enable_auto_scaling // false),
    minCount: .min_count,
    maxCount: .max_count,
    maxPods: .max_pods,
    vnetSubnetID: .vnet_subnet_id,
    podSubnetID: .pod_subnet_id,
    upgradeSettings: ({ maxSurge: ((.upgrade_settings // [])[0].max_surge) } | present) }
  | present;

[.resource_changes[] | select(.change.actions != ["delete"]) | {type, after: .change.after}] as $changes
| ([$changes[] | select(.type == "azurerm_kubernetes_cluster" and .after.name == $cluster) | .after] | first
   // error("no azurerm_kubernetes_cluster named \($cluster) is created or kept by this plan")) as $aks
| (($aks.network_profile // [])[0] // {}) as $net
| (($net.load_balancer_profile // [])[0]) as $lb
| (($net.nat_gateway_profile // [])[0]) as $nat
| { name: $aks.name,
    resourceGroup: $aks.resource_group_name,
    networkProfile: ({
        networkPlugin: $net.network_plugin,
        networkPluginMode: $net.network_plugin_mode,
        podCidr: $net.pod_cidr,
        serviceCidr: $net.service_cidr,
        dnsServiceIP: $net.dns_service_ip,
        outboundType: $net.outbound_type,
        loadBalancerProfile: (if $lb == null then null else ({
            managedOutboundIPs: (if ($lb.managed_outbound_ip_count // 0) > 0
                                 then { count: $lb.managed_outbound_ip_count } else null end),
            outboundIPs: (if ($lb.outbound_ip_address_ids // []) != []
                          then { publicIPs: [$lb.outbound_ip_address_ids[] | { id: . }] } else null end),
            outboundIPPrefixes: (if ($lb.outbound_ip_prefix_ids // []) != []
                                 then { publicIPPrefixes: [$lb.outbound_ip_prefix_ids[] | { id: . }] } else null end),
            allocatedOutboundPorts: $lb.outbound_ports_allocated,
            idleTimeoutInMinutes: $lb.idle_timeout_in_minutes } | present) end),
        natGatewayProfile: (if $nat == null then null else ({
            managedOutboundIPProfile: (if $nat.managed_outbound_ip_count == null then null
                                       else { count: $nat.managed_outbound_ip_count } end),
            idleTimeoutInMinutes: $nat.idle_timeout_in_minutes } | present) end) } | present),
    agentPoolProfiles: ([$aks.default_node_pool[0]]
                        + [$changes[] | select(.type == "azurerm_kubernetes_cluster_node_pool") | .after]
                        | map(pool)),
    subnets: $subnets }
