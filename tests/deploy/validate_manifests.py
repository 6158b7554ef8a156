#!/usr/bin/env python3
"""Offline checks of deploy/ (CTest `deploy.manifests`): the kustomize base and the batch Job
parse, hang together (selectors, ports, Secrets, volumes), carry the properties docs/deploy.md
promises (probes, resources, non-root, read-only root, graceful-shutdown timing, default-deny
egress, Redis without persistence, Indexed Job shards), and the systemd unit is hardened.
`kubectl kustomize` and `systemd-analyze security --offline` run too when installed."""
import os
import re
import shutil
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
K8S = os.path.join(ROOT, "deploy", "kubernetes")
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def load_kustomization(folder):
    with open(os.path.join(folder, "kustomization.yaml")) as f:
        k = yaml.safe_load(f)
    docs = []
    for res in k.get("resources", []):
        path = os.path.join(folder, res)
        check(os.path.isfile(path), f"{folder}: resource {res} is missing")
        if not os.path.isfile(path):
            continue
        with open(path) as f:
            for d in yaml.safe_load_all(f):
                if d is None:
                    continue
                for field in ("apiVersion", "kind", "metadata"):
                    check(field in d, f"{res}: a document lacks {field}")
                check("name" in d.get("metadata", {}), f"{res}: a {d.get('kind')} has no name")
                docs.append(d)
    return docs


def by_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d.get("kind") == kind}


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


def check_pod(name, pod, secrets, configmaps):
    spec = pod["spec"]
    sc = spec.get("securityContext", {})
    check(sc.get("runAsNonRoot") is True, f"{name}: runAsNonRoot")
    check(spec.get("automountServiceAccountToken") is False, f"{name}: service account token mounted")
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    for v in volumes.values():
        if "secret" in v:
            check(v["secret"]["secretName"] in secrets, f"{name}: unknown Secret {v['secret']['secretName']}")
    for c in spec["containers"]:
        csc = c.get("securityContext", {})
        check(csc.get("readOnlyRootFilesystem") is True, f"{name}/{c['name']}: root filesystem not read-only")
        check(csc.get("allowPrivilegeEscalation") is False, f"{name}/{c['name']}: privilege escalation")
        check(csc.get("capabilities", {}).get("drop") == ["ALL"], f"{name}/{c['name']}: capabilities kept")
        res = c.get("resources", {})
        for part in ("requests", "limits"):
            for r in ("cpu", "memory"):
                check(r in res.get(part, {}), f"{name}/{c['name']}: no {part}.{r}")
        for m in c.get("volumeMounts", []):
            check(m["name"] in volumes, f"{name}/{c['name']}: mount of unknown volume {m['name']}")
        for e in c.get("envFrom", []):
            if "configMapRef" in e:
                check(e["configMapRef"]["name"] in configmaps, f"{name}: unknown ConfigMap")


def check_base():
    docs = load_kustomization(K8S)
    deps, svcs = by_kind(docs, "Deployment"), by_kind(docs, "Service")
    secrets, cms = by_kind(docs, "Secret"), by_kind(docs, "ConfigMap")
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                 "NetworkPolicy", "Secret", "ConfigMap"):
        check(by_kind(docs, kind), f"no {kind} in the base")
    ocular = deps.get("ocular")
    check(ocular is not None, "no ocular Deployment")
    if ocular is None:
        return
    for d in deps.values():
        check(matches(d["spec"]["selector"]["matchLabels"], d["spec"]["template"]["metadata"]["labels"]),
              f"{d['metadata']['name']}: selector does not match its pods")
        check_pod(d["metadata"]["name"], d["spec"]["template"], secrets, cms)
    pod = ocular["spec"]["template"]["spec"]
    c = pod["containers"][0]
    check(c["readinessProbe"]["httpGet"]["path"] == "/ready", "readiness probe is not /ready")
    check(c["livenessProbe"]["httpGet"]["path"] == "/health", "liveness probe is not /health")
    ports = {p["name"] for p in c["ports"]}
    for probe in ("readinessProbe", "livenessProbe"):
        check(c[probe]["httpGet"]["port"] in ports, f"{probe} names an unknown port")
    env = cms["ocular-config"]["data"]
    delay, grace = float(env["OCULAR_SHUTDOWN_DELAY"]), float(env["OCULAR_SHUTDOWN_GRACE"])
    check(pod["terminationGracePeriodSeconds"] > max(delay, grace),
          "terminationGracePeriodSeconds must exceed the shutdown delay and grace")
    check(env["OCULAR_READ_STORE"].startswith("redis://ocular-redis:"), "read store is not the Redis Service")
    args = " ".join(c["args"])
    check("--cluster-secret-file=" in args, "no cluster secret")
    for s in svcs.values():
        target = deps["ocular-redis" if s["metadata"]["name"] == "ocular-redis" else "ocular"]
        check(matches(s["spec"]["selector"], target["spec"]["template"]["metadata"]["labels"]),
              f"Service {s['metadata']['name']} selects no pod")
        names = {p["name"] for p in target["spec"]["template"]["spec"]["containers"][0]["ports"]}
        for p in s["spec"]["ports"]:
            check(p["targetPort"] in names, f"Service {s['metadata']['name']}: unknown targetPort")
    hpa = by_kind(docs, "HorizontalPodAutoscaler")["ocular"]
    check(hpa["spec"]["scaleTargetRef"]["name"] == "ocular", "HPA targets another Deployment")
    check(hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu", "HPA is not on CPU")
    pdb = by_kind(docs, "PodDisruptionBudget")["ocular"]
    check(matches(pdb["spec"]["selector"]["matchLabels"], pod and ocular["spec"]["template"]["metadata"]["labels"]),
          "PDB selects no pod")
    check(pdb["spec"]["minAvailable"] < ocular["spec"]["replicas"], "PDB blocks every eviction")
    nps = by_kind(docs, "NetworkPolicy")
    deny = nps.get("default-deny")
    check(deny is not None and deny["spec"]["podSelector"] == {} and "Egress" in deny["spec"]["policyTypes"]
          and not deny["spec"].get("egress"), "no default-deny egress policy")
    egress = nps["ocular"]["spec"]["egress"]
    check(any(p.get("port") == 53 for r in egress for p in r.get("ports", [])), "DNS egress missing")
    redis = deps["ocular-redis"]["spec"]["template"]["spec"]["containers"][0]
    rargs = redis["args"]
    check(rargs[rargs.index("--save") + 1] == "", "Redis persistence (save) is on")
    check(rargs[rargs.index("--appendonly") + 1] == "no", "Redis AOF is on")
    data = [v for v in deps["ocular-redis"]["spec"]["template"]["spec"]["volumes"] if v["name"] == "data"]
    check(data and data[0].get("emptyDir", {}).get("medium") == "Memory", "Redis data is not in memory")


def check_batch():
    docs = load_kustomization(os.path.join(K8S, "batch"))
    jobs = by_kind(docs, "Job")
    check(len(jobs) == 1, "batch: expected one Job")
    for name, job in jobs.items():
        spec = job["spec"]
        check(spec.get("completionMode") == "Indexed", f"{name}: not an Indexed Job")
        n = spec["completions"]
        check(spec["parallelism"] == n, f"{name}: parallelism != completions")
        check_pod(name, spec["template"], {}, {})
        script = " ".join(spec["template"]["spec"]["containers"][0]["args"])
        m = re.search(r'--shard "\$\{JOB_COMPLETION_INDEX\}/(\d+)"', script)
        check(m is not None and int(m.group(1)) == n, f"{name}: --shard does not match completions")
        check("--skip-done" in script, f"{name}: no --skip-done (retries would redo work)")


def check_systemd():
    unit = os.path.join(ROOT, "deploy", "systemd", "ocular.service")
    text = open(unit).read()
    for d in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "User=ocular",
              "RuntimeDirectory=ocular", "CapabilityBoundingSet=", "TimeoutStopSec="):
        check(re.search("^" + re.escape(d), text, re.M) is not None, f"ocular.service: {d} missing")
    sa = shutil.which("systemd-analyze")
    if sa:
        r = subprocess.run([sa, "security", "--offline=true", unit], capture_output=True, text=True)
        m = re.search(r"Overall exposure level for ocular.service: ([0-9.]+)", r.stdout + r.stderr)
        check(m is not None and float(m.group(1)) <= 2.0,
              f"systemd-analyze security: exposure {m.group(1) if m else '?'} > 2.0")
        if m:
            print(f"systemd-analyze security exposure: {m.group(1)}")


def check_kubectl():
    kubectl = shutil.which("kubectl")
    if not kubectl:
        print("kubectl not installed: kustomize build skipped (structural checks ran)")
        return
    for folder in (K8S, os.path.join(K8S, "batch")):
        r = subprocess.run([kubectl, "kustomize", folder], capture_output=True, text=True)
        check(r.returncode == 0, f"kubectl kustomize {folder}: {r.stderr.strip()[:300]}")
        if r.returncode == 0:
            print(f"kubectl kustomize {os.path.relpath(folder, ROOT)}: {len(list(yaml.safe_load_all(r.stdout)))} objects")


check_base()
check_batch()
check_systemd()
check_kubectl()
for e in errors:
    print("FAIL:", e)
print("manifests:", "FAILED" if errors else "ok")
sys.exit(1 if errors else 0)
