"""Configuration files of tools that carry `apiVersion` and `kind` but are never applied.

The API server only serves built-in groups and the groups of CustomResourceDefinitions,
and a CRD's group must contain a dot (apiextensions-apiserver
pkg/apis/apiextensions/validation/validation.go ValidateCustomResourceDefinitionSpec:
"should be a domain with at least one dot"). So a group without a dot that is not
built-in is never a Kubernetes object. Dotted groups below are those of tools and of the
components' own configuration files, which are read from disk, not applied.
"""

from __future__ import annotations

import os
import re
from typing import Any

from ..i18n import N_, _
from .kinds import BUILTIN_GROUPS, NAMELESS_KINDS, split_api_version

# group -> what reads it (kinds listed where one group mixes tools).
TOOL_GROUPS: dict[str, str] = {
    "kind.x-k8s.io": N_("kind (Kubernetes in Docker) cluster config"),
    "kind.sigs.k8s.io": N_("kind (Kubernetes in Docker) cluster config"),
    "kubeadm.k8s.io": N_("kubeadm configuration"),
    "bootstraptoken.kubeadm.k8s.io": N_("kubeadm configuration"),
    "output.kubeadm.k8s.io": N_("kubeadm output"),
    "kubelet.config.k8s.io": N_("kubelet configuration file"),
    "credentialprovider.kubelet.k8s.io": N_("kubelet credential provider configuration"),
    "kubeproxy.config.k8s.io": N_("kube-proxy configuration file"),
    "kubescheduler.config.k8s.io": N_("kube-scheduler configuration file"),
    "kubecontrollermanager.config.k8s.io": N_("kube-controller-manager configuration file"),
    "controllermanager.config.k8s.io": N_("controller-manager configuration file"),
    "cloudcontrollermanager.config.k8s.io": N_("cloud-controller-manager configuration file"),
    "apiserver.config.k8s.io": N_("kube-apiserver configuration file"),
    "apiserver.k8s.io": N_("kube-apiserver configuration file"),
    "audit.k8s.io": N_("kube-apiserver audit policy"),
    "eventratelimit.admission.k8s.io": N_("kube-apiserver admission plugin configuration"),
    "pod-security.admission.config.k8s.io": N_("kube-apiserver PodSecurity admission configuration"),
    "imagepolicy.k8s.io": N_("kube-apiserver image policy webhook"),
    "client.authentication.k8s.io": N_("kubectl exec credential"),
    "kustomize.config.k8s.io": N_("kustomize configuration"),
    "config.kubernetes.io": N_("kustomize / kpt function configuration"),
    "kpt.dev": N_("kpt package file"),
    "skaffold.dev": N_("skaffold configuration"),
    "kops.k8s.io": N_("kops cluster definition"),
    "k3d.io": N_("k3d cluster config"),
    "kuttl.dev": N_("kuttl test step"),
    "chainsaw.kyverno.io": N_("chainsaw test"),
    "cli.kyverno.io": N_("kyverno CLI test"),
    "ctlptl.dev": N_("ctlptl cluster config"),
    "eksctl.io": N_("eksctl cluster config"),
    # controller-runtime pkg/config/v1alpha1 ControllerManagerConfiguration: the file a
    # kubebuilder manager reads with --config (its scaffold puts it in a ConfigMap)
    "controller-runtime.sigs.k8s.io": N_("controller-runtime manager configuration file"),
    # IstioOperator (istio operator/pkg/apis/types.go) is read by `istioctl install -f`; the
    # in-cluster operator is gone, and istioctl and the charts no longer install its CRD
    # (istio releasenotes/notes/drop-iop.yaml), so no cluster serves the kind.
    "install.istio.io": N_("istioctl installation configuration (IstioOperator)"),
    # nodeadm, the node bootstrapper of Amazon EKS AMIs, reads NodeConfig from EC2 user data
    # or `--config-source file://...` (https://awslabs.github.io/amazon-eks-ami/nodeadm/)
    "node.eks.aws": N_("nodeadm node configuration (EKS node bootstrap)"),
    # A Crossplane package's metadata file (crossplane.yaml: meta.pkg.crossplane.io
    # Configuration, Provider or Function) is read by `crossplane xpkg build` into the package
    # image; the cluster serves pkg.crossplane.io, never this group
    # (https://docs.crossplane.io/latest/packages/configurations/; crossplane apis/pkg/meta).
    # gator's test Suite (gatekeeper apis/gator: test.gatekeeper.sh/v1alpha1 Suite), read by
    # `gator verify`; gatekeeper installs no CRD for it.
    "test.gatekeeper.sh": N_("gator test suite (gator verify)"),
    # AdmissionReview (k8s.io/api admission/v1 types.go) is the body of an admission webhook
    # call; the API server serves no resource of admission.k8s.io (kube-apiserver's
    # pkg/controlplane/apiserver storage providers have none), so it is test data of webhooks
    # and policy tests (gator verify takes one as an object for UPDATE and DELETE cases).
    "admission.k8s.io": N_("payload of an admission webhook call (no API server serves the kind)"),
    "meta.pkg.crossplane.io": N_("Crossplane package metadata (crossplane.yaml, read by crossplane xpkg build)"),
    # AWSIAMConfiguration (cluster-api-provider-aws cmd/clusterawsadm/api/bootstrap/v1beta1
    # types.go) is read by `clusterawsadm bootstrap iam create-cloudformation-stack --config`;
    # the provider's CRDs are in infrastructure.cluster.x-k8s.io, none in this group.
    "bootstrap.aws.infrastructure.cluster.x-k8s.io": N_("clusterawsadm configuration (AWS IAM bootstrap)"),
    # Grafana Tanka's environment file (spec.json: tanka.dev/v1alpha1 Environment, grafana/tanka
    # pkg/spec/v1alpha1 environment.go) says which cluster and namespace `tk apply` deploys an
    # environment's jsonnet to; tk reads it from disk, and metadata.name and namespace are the
    # environment's path and main.jsonnet (https://tanka.dev/config).
    "tanka.dev": N_("Tanka environment file (spec.json, read by tk)"),
    # kwok's own configuration (kubernetes-sigs/kwok pkg/apis/config/v1alpha1:
    # KwokConfiguration, KwokctlConfiguration, KwokctlComponent, KwokctlResource), read by
    # `kwok --config` and `kwokctl --config` (https://kwok.sigs.k8s.io/docs/user/configuration/);
    # kwok's CRDs (Stage, Attach, ...) are in kwok.x-k8s.io, none in this group.
    "config.kwok.x-k8s.io": N_("kwok / kwokctl configuration"),
}

# Kinds of a group whose other kinds are served: Cluster API's clusterctl installs a
# Provider CRD in clusterctl.cluster.x-k8s.io, but reads a provider's metadata.yaml
# (kind Metadata, cmd/clusterctl/api/v1alpha3 metadata_type.go) from its release files.
# kapp (Carvel) takes documents of kind Config out of its input as its own configuration
# (rebase rules, ownership rules) and never sends them to the cluster
# (https://carvel.dev/kapp/docs/latest/config/); the group's other kinds are no CRDs either,
# but only Config is seen in manifests. Gateway API's ConformanceReport: below.
TOOL_KINDS: dict[tuple[str, str], str] = {
    ("clusterctl.cluster.x-k8s.io", "Metadata"): N_("clusterctl provider metadata file"),
    ("kapp.k14s.io", "Config"): N_("kapp configuration"),
    # The report Gateway API's conformance suite writes (gateway-api conformance/apis/v1
    # conformancereport.go: a Go type with TypeMeta, no CRD), kept in implementations'
    # repositories and submitted to gateway-api's conformance/reports.
    ("gateway.networking.k8s.io", "ConformanceReport"): N_("Gateway API conformance report"),
    # Envoy Gateway's own configuration (envoyproxy/gateway api/v1alpha1 envoygateway_types.go:
    # TypeMeta and an inline spec, no ObjectMeta, no CRD), read with --config-path from the
    # envoy-gateway-config ConfigMap's envoy-gateway.yaml key or a file; EnvoyProxy and the
    # group's other kinds are custom resources.
    ("gateway.envoyproxy.io", "EnvoyGateway"): N_("Envoy Gateway configuration file (read with --config-path)"),
    # The metadata of a Gateway Enhancement Proposal (gateway-api geps/gep-N/metadata.yaml,
    # pkg/gep GEPDetail), read by tools/geps to build the documentation site; no CRD.
    ("internal.gateway.networking.k8s.io", "GEPDetails"): N_("Gateway API enhancement proposal metadata (read by tools/geps)"),
    # `fission spec init` writes specs/fission-deployment-config.yaml (fission
    # pkg/fission-cli/cmd/spec/init.go, types.DeploymentConfig: TypeMeta, name and uid, no
    # ObjectMeta), which `fission spec apply` reads to label what it applies; fission.io's
    # CRDs (Function, Package, Environment, triggers) have no DeploymentConfig.
    ("fission.io", "DeploymentConfig"): N_("fission spec deployment configuration (read by fission spec apply)"),
    # cass-operator's image configuration (k8ssandra/cass-operator apis/config/v1beta1 and
    # v1beta2 imageconfig_types.go: TypeMeta only, no ObjectMeta, no CRD), which the operator
    # reads from a file (config/imageconfig puts image_config.yaml in a ConfigMap it mounts).
    ("config.k8ssandra.io", "ImageConfig"): N_("cass-operator image configuration (read from a file by the operator)"),
}

# Undotted groups of tools with a better name than "tool configuration".
_UNDOTTED: dict[str, str] = {
    "skaffold": N_("skaffold configuration"),
    "builtin": N_("kustomize built-in transformer configuration"),
    "tilt": N_("Tilt configuration"),
}


def tool_config(api_version: str, kind: str) -> str | None:
    """What reads a document with this apiVersion and kind when it is not a Kubernetes
    object (a tool's or a component's configuration), else None. In English: `_()` of it
    gives the output's language."""
    group, version = split_api_version(api_version)
    if group == "" and version in _UNDOTTED:       # `apiVersion: builtin`, no version at all
        return _UNDOTTED[version]
    if group == "":
        if kind == "Config":
            return N_("kubeconfig (kubectl client configuration)")
        if kind == "Policy":                 # no core kind is named Policy
            return N_("kube-scheduler policy file (removed in 1.23)")
        return None
    if group in TOOL_GROUPS:
        return TOOL_GROUPS[group]
    if (group, kind) in TOOL_KINDS:
        return TOOL_KINDS[(group, kind)]
    if group in BUILTIN_GROUPS or "." in group:
        return None
    return _UNDOTTED.get(group) or _("configuration of a tool (API group {group!r} has no dot, so no "
                                      "cluster serves it)").format(group=group)


# kubeadm reads patches of its static Pods from `patches.directory`, one file per component
# named target[suffix][+patchtype].extension
# (https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/control-plane-flags/#patches),
# and the kubelet runs static Pod manifests from its staticPodPath
# (https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/): neither is applied.
# The Konnectivity server runs beside the API server as a static Pod of the control plane
# node too (https://kubernetes.io/docs/tasks/extend-kubernetes/setup-konnectivity/).
_STATIC_POD_FILE = re.compile(r"(kube-apiserver|kube-controller-manager|kube-scheduler|etcd|konnectivity-server)"
                              r"[^+.]*(?:\+(?:strategic|merge|json))?\.(?:ya?ml|json)")


def static_pod_file(file: str, data: dict[str, Any]) -> bool:
    """A control-plane Pod of kube-system in a file named for it (kube-controller-manager.yaml,
    etcd0+merge.yaml): a kubeadm patch or a static Pod manifest, not an object to apply."""
    match = _STATIC_POD_FILE.fullmatch(os.path.basename(file))
    if match is None or data.get("apiVersion") != "v1" or data.get("kind") != "Pod":
        return False
    meta = data.get("metadata")
    return isinstance(meta, dict) and meta.get("name") == match.group(1) and meta.get("namespace") == "kube-system"


PATCH_FOLDER = "patches"


def patch_fragment(file: str, data: dict[str, Any]) -> bool:
    """An object without metadata.name or generateName in a file below a `patches` folder: a
    patch that a tool merges into another manifest, not an object applied as it is (the API
    server refuses an object without a name, and kubectl does too: "resource name may not be
    empty"). scylla-operator's bundle/patches/manifests/*.clusterserviceversion.yaml are
    merged with yq into the generated ClusterServiceVersion (`. *= load(...)`, Makefile
    patch-bundle)."""
    if PATCH_FOLDER not in file.replace(os.sep, "/").split("/")[:-1] or isinstance(data.get("items"), list):
        return False            # a List has no name of its own
    meta = data.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    group = split_api_version(str(data.get("apiVersion", "")))[0]
    return not meta.get("name") and not meta.get("generateName") and (group, data.get("kind")) not in NAMELESS_KINDS
