import { createHash } from "node:crypto";

/**
 * Physical names, valid per resource type and deterministic per stack, with an 8-hex suffix of
 * sha256(stack/name) where the name must be globally unique (azure.md G13):
 * storage account 3–24 `[a-z0-9]`; function app ≤ 60 `[a-z0-9-]` (`*.azurewebsites.net`);
 * APIM service ≤ 50, a letter first, no trailing '-' (`*.azure-api.net`); Key Vault 3–24
 * `[a-z0-9-]`, a letter first, no '--' (`*.vault.azure.net`).
 *
 * Soft delete keeps APIM names for 48 h and Key Vault names for the vault's retention (7 days here)
 * after a destroy. To recreate at once: `az apim deletedservice purge --service-name <n> --location <l>`
 * and `az keyvault purge --name <n>` (azure.md G14).
 */
export interface AzureNames {
  resourceGroup: string;
  storage: string;
  plan: string;
  app: string;
  workspace: string;
  insights: string;
  apim: string;
  vault: string;
  deployment: string;
}

export function azureNames(name: string, stack: string): AzureNames {
  const hash = createHash("sha256").update(`${stack}/${name}`).digest("hex").slice(0, 8);
  const alnum = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  const base = `${name}-${stack}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-");
  const global = (max: number) =>
    `${letterFirst(base)
      .slice(0, max - 9)
      .replace(/-+$/, "")}-${hash}`;
  return {
    resourceGroup: `${base}-rg`.slice(0, 90),
    storage: `${alnum.slice(0, 14) || "sy"}fn${hash}`,
    plan: `${base}-plan`.slice(0, 60),
    app: global(60),
    workspace: `${base}-logs`.slice(0, 63),
    insights: `${base}-insights`.slice(0, 255),
    apim: global(50),
    vault: `kv${alnum.slice(0, 12)}${hash}`,
    deployment: `${base}-onedeploy`.slice(0, 64),
  };
}

function letterFirst(s: string): string {
  return /^[a-z]/.test(s) ? s : `a${s}`;
}
