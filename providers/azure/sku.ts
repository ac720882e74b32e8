/**
 * API Management tiers switchyard deploys to, and the features the policies depend on.
 * Sources: `apimanagement.SkuType` in @pulumi/azure-native 3.28 types/enums (no Premium v2 there;
 * Isolated is retired and not offered), https://learn.microsoft.com/azure/api-management/api-management-features
 * (built-in cache: no on Consumption), the policy reference's per-gateway table
 * (https://learn.microsoft.com/azure/api-management/api-management-policies: rate-limit-by-key on every
 * tier but Consumption; quota-by-key on classic tiers only, azure.md correction 1), and
 * api-management-gateways-overview (load-balanced backend pools on every gateway, MicrosoftDocs/azure-docs PR #263181).
 */
export const APIM_SKUS = ["Consumption", "Developer", "Basic", "Standard", "Premium", "BasicV2", "StandardV2"] as const;
export type ApimSku = (typeof APIM_SKUS)[number];

export interface SkuFeatures {
  sku: ApimSku;
  /** `rate-limit-by-key` (counts per consumer, JWT subject or client IP). */
  rateLimitByKey: boolean;
  /** `quota-by-key`. */
  quotaByKey: boolean;
  /** The built-in (internal) response cache used by cache-lookup / cache-store. */
  internalCache: boolean;
  /** Backend of type "Pool" with weights. */
  backendPool: boolean;
  /** Classic tiers take 30–75 minutes to create (azure.md G15). */
  slowCreate: boolean;
  /** `sku.capacity`: must be 0 on Consumption (azure.md G16), 1 unit otherwise. */
  capacity: number;
}

const CLASSIC: readonly ApimSku[] = ["Developer", "Basic", "Standard", "Premium"];

export function skuFeatures(sku: ApimSku): SkuFeatures {
  const consumption = sku === "Consumption";
  return {
    sku,
    rateLimitByKey: !consumption,
    quotaByKey: CLASSIC.includes(sku),
    internalCache: !consumption,
    backendPool: true,
    slowCreate: CLASSIC.includes(sku),
    capacity: consumption ? 0 : 1,
  };
}

/** The cheapest tiers that have a feature, for "use this SKU instead" notes. */
export const SKU_FOR = {
  rateLimitByKey: "BasicV2 (or Developer/Standard/StandardV2/Premium)",
  quotaByKey: "Developer for dev/test, Basic/Standard/Premium in production (not the v2 tiers)",
  internalCache: "BasicV2 or Developer (any tier but Consumption)",
} as const;
