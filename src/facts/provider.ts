import * as pulumi from "@pulumi/pulumi";
import { providerPackage } from "./pulumi-internals";

/**
 * The azure-native provider a component was given, through `provider` or `providers`. Children
 * get it from their parent anyway; what needs it is a resource in another component that must
 * land beside it (a policy in its vault, an item under its policy).
 */
export function azureNativeProvider(opts: pulumi.ComponentResourceOptions | pulumi.InvokeOptions): pulumi.ProviderResource | undefined {
    const pkg = providerPackage;
    if (opts.provider && pkg(opts.provider) === "azure-native") return opts.provider;
    const providers = (opts as pulumi.ComponentResourceOptions).providers;
    if (Array.isArray(providers)) return providers.find((p) => pkg(p) === "azure-native");
    return providers?.["azure-native"];
}

/** The classic azure provider a component was given, through `provider` or `providers`. */
export function classicProvider(opts: pulumi.ComponentResourceOptions): pulumi.ProviderResource | undefined {
    if (opts.provider && providerPackage(opts.provider) === "azure") return opts.provider;
    const providers = opts.providers;
    if (Array.isArray(providers)) return providers.find((p) => providerPackage(p) === "azure");
    return providers?.["azure"];
}
