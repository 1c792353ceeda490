#!/usr/bin/env python3
"""Offline checks of the Kubernetes manifests, run by deploy/check-manifests.sh.

    validate.py kubernetes   core objects against the Kubernetes OpenAPI schemas
                             bundled by kubernetes-validate (strict: unknown fields fail)
    validate.py keda         KEDA objects against keda.sh-v1alpha1.schema.json (ours)
    validate.py refs         what no schema sees: names that must match across objects,
                             ports, the shutdown grace period, the stage queues

Each prints one summary line and exits 0, or prints the problems and exits 1.
"""
import json
import pathlib
import re
import sys
from importlib.metadata import version as package_version

import jsonschema
import yaml

HERE = pathlib.Path(__file__).resolve().parent
MANIFESTS = HERE.parent
REPO = MANIFESTS.parent.parent
# The oldest Kubernetes these manifests claim (autoscaling/v2 behavior, seccompProfile,
# fsGroupChangePolicy are all older) and the newest schemas the package bundles.
OLDEST_KUBERNETES = "1.27"
KEDA_API = "keda.sh/v1alpha1"
# resource.Quantity: a decimal number with an optional binary (Ki..Ei), decimal (n..E) or exponent suffix.
QUANTITY = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$")


def load_objects():
    """Every object of every *.yaml in the folder, keda/ and examples/, with its file."""
    objects = []
    for folder in (MANIFESTS, MANIFESTS / "keda", MANIFESTS / "examples"):
        for path in sorted(folder.glob("*.yaml")):
            with open(path, encoding="utf-8") as f:
                for doc in yaml.safe_load_all(f):
                    if doc is not None:
                        objects.append((path.relative_to(REPO), doc))
    if not objects:
        sys.exit(f"no manifests found under {MANIFESTS}")
    return objects


def label(path, obj):
    return f"{path}: {obj.get('kind')}/{(obj.get('metadata') or {}).get('name')}"


def check_kubernetes(objects):
    import kubernetes_validate
    from kubernetes_validate.utils import latest_version, major_minor

    versions = [OLDEST_KUBERNETES, major_minor(latest_version())]
    problems, count = [], 0
    for path, obj in objects:
        if obj.get("apiVersion") == KEDA_API:
            continue
        count += 1
        for version in versions:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as e:
                where = ".".join(str(p) for p in e.path) or "(top)"
                problems.append(f"{label(path, obj)}: Kubernetes {version}: {where}: {e.message}")
            except kubernetes_validate.SchemaNotFoundError as e:
                problems.append(f"{label(path, obj)}: {e.message}")
    return problems, (f"{count} objects valid (strict) against Kubernetes {' and '.join(versions)}, "
                      f"kubernetes-validate {package_version('kubernetes-validate')}")


def check_keda(objects):
    schema = json.loads((HERE / "keda.sh-v1alpha1.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    problems, count = [], 0
    for path, obj in objects:
        if obj.get("apiVersion") != KEDA_API:
            continue
        count += 1
        kind = obj.get("kind")
        if kind not in schema["$defs"]:
            problems.append(f"{label(path, obj)}: no schema for kind {kind}")
            continue
        sub = dict(schema["$defs"][kind], **{"$defs": schema["$defs"]})
        for e in jsonschema.Draft202012Validator(sub).iter_errors(obj):
            problems.append(f"{label(path, obj)}: {e.json_path}: {e.message}")
    if count == 0:
        problems.append("no keda.sh objects found")
    return problems, f"{count} objects valid against keda.sh-v1alpha1.schema.json (ours), jsonschema {package_version('jsonschema')}"


def stage_queues():
    """The stage queues of the generated topology (not .dead, not retry or timer queues)."""
    definitions = json.loads((REPO / "deploy/rabbitmq/definitions.json").read_text(encoding="utf-8"))
    return {q["name"] for q in definitions["queues"]
            if q["name"].startswith("pilot.stage.") and not q["name"].endswith(".dead")}


def check_refs(objects):
    problems = []
    by_kind = {}
    for path, obj in objects:
        by_kind.setdefault(obj["kind"], {})[obj["metadata"]["name"]] = (path, obj)
        if "namespace" in obj["metadata"]:
            problems.append(f"{label(path, obj)}: sets a namespace; the manifests are namespace-agnostic")

    def need(kind, name, what):
        if name not in by_kind.get(kind, {}):
            problems.append(f"{what} names {kind} {name!r}, which no manifest defines")
            return None
        return by_kind[kind][name][1]

    deployments = by_kind.get("Deployment", {})
    if not deployments:
        return ["no Deployment"], ""
    for dname, (dpath, dep) in deployments.items():
        where = f"{dpath}: Deployment/{dname}"
        spec, pod = dep["spec"], dep["spec"]["template"]["spec"]
        tlabels = dep["spec"]["template"]["metadata"].get("labels", {})
        if any(tlabels.get(k) != v for k, v in spec["selector"]["matchLabels"].items()):
            problems.append(f"{where}: selector does not match the pod template's labels")
        if "replicas" in spec and any(so["spec"]["scaleTargetRef"]["name"] == dname
                                      for _, so in by_kind.get("ScaledObject", {}).values()):
            problems.append(f"{where}: sets replicas although KEDA scales it (re-applying would reset it)")
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for v in volumes.values():
            if "persistentVolumeClaim" in v:
                need("PersistentVolumeClaim", v["persistentVolumeClaim"]["claimName"], f"{where} volume {v['name']}")
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            problems.append(f"{where}: pod securityContext.runAsNonRoot is not true")
        for c in pod["containers"]:
            cwhere = f"{where} container {c['name']}"
            env = {}
            for src in c.get("envFrom", []):
                if "configMapRef" in src:
                    cm = need("ConfigMap", src["configMapRef"]["name"], cwhere)
                    env.update((cm or {}).get("data", {}))
                if "secretRef" in src:
                    secret = need("Secret", src["secretRef"]["name"], cwhere)
                    env.update({k: "(secret)" for k in (secret or {}).get("stringData", {}) | (secret or {}).get("data", {})})
            env.update({e["name"]: e.get("value") for e in c.get("env", [])})
            if "PILOT_AMQP_URL" not in env:
                problems.append(f"{cwhere}: no PILOT_AMQP_URL from its env or envFrom sources")
            ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
            # pilot-web serves its probes on its HTTP port; the worker on its metrics port.
            web = c["name"] == "pilot-web"
            port_name, port_var = ("http", "PILOT_WEB_PORT") if web else ("metrics", "PILOT_METRICS_PORT")
            if port_name not in ports:
                problems.append(f"{cwhere}: no container port named {port_name}")
            elif str(ports[port_name]) != env.get(port_var, "8080" if web else None):
                problems.append(f"{cwhere}: port {port_name} is {ports[port_name]} but {port_var} is "
                                f"{env.get(port_var)!r}")
            annotations = dep["spec"]["template"]["metadata"].get("annotations", {})
            if annotations.get("prometheus.io/port") not in (None, str(ports.get("metrics"))):
                problems.append(f"{where}: prometheus.io/port {annotations['prometheus.io/port']} is not the metrics port")
            for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
                get = c.get(probe, {}).get("httpGet")
                if not get or get.get("path") != path or get.get("port") not in (port_name, ports.get(port_name)):
                    problems.append(f"{cwhere}: {probe} is not GET {path} on the {port_name} port")
            shutdown_var = "PILOT_WEB_CONFIRM_TIMEOUT" if web else "PILOT_SHUTDOWN_TIMEOUT"
            shutdown = float(env.get(shutdown_var, "10" if web else "30"))
            grace = pod.get("terminationGracePeriodSeconds", 30)
            if not grace > shutdown:
                problems.append(f"{where}: terminationGracePeriodSeconds {grace} is not above "
                                f"{shutdown_var} {shutdown:g}: the kubelet would kill it mid-request")
            # The OpenAPI schema takes any string as a quantity; the API server does not.
            for kind, values in c.get("resources", {}).items():
                for resource, value in values.items():
                    if not QUANTITY.match(str(value)):
                        problems.append(f"{cwhere}: resources.{kind}.{resource} {value!r} is not a Kubernetes quantity")
            sc = c.get("securityContext", {})
            if sc.get("readOnlyRootFilesystem") is not True or sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{cwhere}: needs readOnlyRootFilesystem: true and allowPrivilegeEscalation: false")
            mounts = {m["mountPath"].rstrip("/"): m for m in c.get("volumeMounts", [])}
            for m in mounts.values():
                if m["name"] not in volumes:
                    problems.append(f"{cwhere}: mounts volume {m['name']!r}, which the pod does not define")
            # Local files only where the engines are local: the workspace unless documents
            # are in S3, the database when it is a SQLite path (a Secret holds a URL).
            database = env.get("PILOT_DATABASE")
            local_documents = not str(env.get("PILOT_DOCUMENTS") or "").startswith("s3://")
            local_database = database != "(secret)" and "://" not in str(database or "")
            for var, local in (("PILOT_WORKSPACE", local_documents), ("PILOT_DATABASE", local_database)):
                value = env.get(var)
                if value and local and not any(value == p or value.startswith(p + "/") for p, m in mounts.items()
                                               if not m.get("readOnly")):
                    problems.append(f"{cwhere}: {var}={value} is on no writable volume (the root filesystem is read-only)")
            # Replicas the scheduler may put on any node must share the engines: the SQLite
            # store and the workspace serve one host only.
            pinned = pod.get("affinity", {}).get("podAffinity", {}).get("requiredDuringSchedulingIgnoredDuringExecution")
            if not web and not pinned and (local_documents or local_database):
                problems.append(f"{cwhere}: replicas may run on several nodes, but the store or the documents are "
                                f"local (PILOT_DATABASE={database}, PILOT_DOCUMENTS={env.get('PILOT_DOCUMENTS')}): "
                                f"use postgres:// and s3://, or pin the replicas to one node")

    for sname, (spath, svc) in by_kind.get("Service", {}).items():
        sel = svc["spec"].get("selector", {})
        targets = [d for _, d in deployments.values()
                   if all(d["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in sel.items())]
        if not targets:
            problems.append(f"{spath}: Service/{sname} selects no Deployment's pods")
        for p in svc["spec"]["ports"]:
            names = {cp.get("name") for d in targets for c in d["spec"]["template"]["spec"]["containers"]
                     for cp in c.get("ports", [])}
            if isinstance(p.get("targetPort"), str) and p["targetPort"] not in names:
                problems.append(f"{spath}: Service/{sname} targetPort {p['targetPort']} is no container port name")

    queues = stage_queues()
    triggered = set()
    for soname, (sopath, so) in by_kind.get("ScaledObject", {}).items():
        where = f"{sopath}: ScaledObject/{soname}"
        ref = so["spec"]["scaleTargetRef"]
        if ref.get("kind", "Deployment") == "Deployment":
            need("Deployment", ref["name"], f"{where} scaleTargetRef")
        lo, hi = so["spec"].get("minReplicaCount", 0), so["spec"].get("maxReplicaCount", 100)
        if lo > hi:
            problems.append(f"{where}: minReplicaCount {lo} > maxReplicaCount {hi}")
        for t in so["spec"]["triggers"]:
            auth = t.get("authenticationRef")
            if auth and auth.get("kind", "TriggerAuthentication") == "TriggerAuthentication":
                need("TriggerAuthentication", auth["name"], f"{where} trigger {t.get('name')}")
            if t["type"] == "rabbitmq":
                q = t["metadata"].get("queueName")
                if q not in queues:
                    problems.append(f"{where}: trigger on {q!r}, which is no stage queue of "
                                    f"deploy/rabbitmq/definitions.json ({', '.join(sorted(queues))})")
                triggered.add(q)
    if by_kind.get("ScaledObject") and triggered != queues:
        problems.append(f"stage queues without a trigger: {', '.join(sorted(queues - triggered))}")
    for taname, (tapath, ta) in by_kind.get("TriggerAuthentication", {}).items():
        for ref in ta["spec"].get("secretTargetRef", []):
            secret = need("Secret", ref["name"], f"{tapath}: TriggerAuthentication/{taname}")
            keys = (secret or {}).get("stringData", {}) | (secret or {}).get("data", {})
            if secret and ref["key"] not in keys:
                problems.append(f"{tapath}: TriggerAuthentication/{taname} reads key {ref['key']!r} "
                                f"of Secret {ref['name']}, which has {sorted(keys)}")
    summary = (f"names, ports, probes, volumes, quantities, grace period and the {len(queues)} stage queues "
               f"agree across {len(objects)} objects")
    return problems, summary


def main():
    checks = {"kubernetes": check_kubernetes, "keda": check_keda, "refs": check_refs}
    if len(sys.argv) != 2 or sys.argv[1] not in checks:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(checks)}")
    problems, summary = checks[sys.argv[1]](load_objects())
    for p in dict.fromkeys(problems):  # once each, in order
        print(p)
    if problems:
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
