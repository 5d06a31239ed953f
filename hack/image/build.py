#!/usr/bin/python3
"""Builds a container image from a Dockerfile without a container engine or a registry.

    hack/image/build.py --dockerfile src/main/docker/Dockerfile.jvm \\
        --context target/quarkus-app=target/quarkus-app \\
        --context src/main/docker=src/main/docker \\
        --tag metadataops.local/metadata-operator:e2e [--build-arg K=V] \\
        [--output image.tar] [--import] [--containerd-address SOCKET]

The Dockerfile stays the one description of the image (Docker, podman or buildah build the same
file elsewhere); this script runs the subset of it the project's images use, as root:

* FROM debian:<suite>[-slim]: a Debian root filesystem made by mmdebstrap from the package
  mirror of this machine's apt sources (variant minbase; -slim excludes man pages, docs and
  locales as the official slim images do). When the next instruction is a RUN made only of
  `apt-get update`, `apt-get install ... <packages>`, `mkdir -p <dirs>`, `echo '<text>' > <file>`,
  `apt-get clean` and `rm -rf /var/lib/apt/lists/*`, its packages are installed by mmdebstrap in
  the same step (directories and files are made in mmdebstrap's essential hook, before the
  packages: Debian's JRE needs /usr/share/man/man1 even when man pages are excluded; PostgreSQL's
  packages read createcluster.d). Cached by suite, packages and setup: the first layer.
* FROM scratch, or FROM an image this script built before (by tag; its layers are reused).
* ARG, ENV, LABEL, USER, WORKDIR, EXPOSE, ENTRYPOINT, CMD: as Docker does (${VAR} expanded).
* COPY [--chown=u[:g]] [--chmod=mode] src... dest: sources relative to the build context, given
  as --context <path in the context>=<path on this machine> (longest prefix wins; globs allowed).
* RUN: /bin/sh -c in a chroot of the image (overlayfs over the lower layers, /proc and /dev
  and a tmpfs on /tmp mounted), as USER, with ENV, in WORKDIR, inside a private mount namespace (unshare -m), so no
  mount outlives the build even when it is killed.

Everything after FROM becomes one layer (the overlay's upper directory, whiteouts converted).
Layers are written with sorted entries and numeric owners; modification times are kept (the JVM's
class data archive checks them), so a layer's digest changes when its files were written anew.

Output: a docker-archive (manifest.json, config, one tar per layer), which `docker load`, `podman
load`, `skopeo copy docker-archive:...` and `ctr images import` accept, written with --output;
--import loads it into the containerd at --containerd-address (namespace k8s.io, the one the
kubelet uses), streamed when there is no --output, and only when containerd does not have it;
`build.py import [--containerd-address A] TAG...` loads images built before in one stream.

Cache (${METADATAOPS_IMAGE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/metadataops/images}): an image is
keyed by the SHA-256 of the Dockerfile, the build arguments, the contents of every file COPY
reads and the key of its base; a second build of the same inputs does nothing. Images that no tag
names any more are removed after an hour.
"""

import argparse
import fnmatch
import glob
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import time

# Part of every image's cache key: bump when a change here changes what images contain.
BUILDER_VERSION = "3"
# Part of the Debian base layers' key: bump when the mmdebstrap invocation changes.
BASE_VERSION = "3"
# The mtime of the entries this script makes up (whiteouts, manifest, config).
FIXED_MTIME = 1577836800
CACHE = os.environ.get("METADATAOPS_IMAGE_CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "metadataops", "images"
)
SLIM_EXCLUDES = [
    "path-exclude=/usr/share/man/*",
    "path-exclude=/usr/share/doc/*",
    "path-include=/usr/share/doc/*/copyright",
    "path-exclude=/usr/share/info/*",
    "path-exclude=/usr/share/locale/*",
    "path-include=/usr/share/locale/locale.alias",
    "path-exclude=/usr/share/groff/*",
    "path-exclude=/usr/share/lintian/*",
    "path-exclude=/usr/share/linda/*",
]
# Never part of a layer: the runtime mounts these.
SKIP_CONTENT = ("dev", "proc", "sys")

START = time.monotonic()


def log(msg):
    print("[image %5.1fs] %s" % (time.monotonic() - START, msg), file=sys.stderr, flush=True)


def die(msg):
    print("[image] ERROR: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write(path, data):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------- Dockerfile


def parse_dockerfile(text):
    """[(INSTRUCTION, rest-of-line)], continuation lines joined, comments dropped."""
    out, buf = [], ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if buf and line.lstrip().startswith("#"):
            continue  # comment inside a continued instruction
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        parts = buf.strip().split(None, 1)
        out.append((parts[0].upper(), parts[1] if len(parts) > 1 else ""))
        buf = ""
    if buf.strip():
        parts = buf.strip().split(None, 1)
        out.append((parts[0].upper(), parts[1] if len(parts) > 1 else ""))
    return out


def expand(value, variables):
    def repl(m):
        name = m.group(1) or m.group(2)
        return variables.get(name, "")

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", repl, value)


def parse_kv(rest, variables):
    """ENV/LABEL/ARG forms: `k=v k2="v 2"` or the legacy `k v...`."""
    words = shlex.split(rest)
    if words and "=" not in words[0]:
        return [(words[0], expand(rest.split(None, 1)[1] if len(words) > 1 else "", variables))]
    pairs = []
    for w in words:
        k, _, v = w.partition("=")
        pairs.append((k, expand(v, variables)))
    return pairs


def exec_form(rest):
    rest = rest.strip()
    if rest.startswith("["):
        return json.loads(rest)
    return ["/bin/sh", "-c", rest]


APT_PART = re.compile(
    r"^(apt-get (-\S+ )*update( -\S+)*"
    r"|apt-get (-\S+ )*install (?P<pkgs>.*)"
    r"|apt-get clean"
    r"|rm -rf /var/lib/apt/lists/\*?"
    r"|mkdir -p (?P<dirs>/.*)"
    r"|echo (?P<text>'[^']*') > (?P<file>/\S+))$"
)


def apt_run(command):
    """For a RUN made only of apt-get update/install/clean, rm of the lists, mkdir -p and
    echo '<text>' > <file> (settings packages read when they are installed): (packages, setup
    shell commands for mmdebstrap's essential hook, on "$1"); else None."""
    pkgs, setup = [], []
    for part in re.split(r"\s*&&\s*", command.strip()):
        part = re.sub(r"\s+", " ", part.strip()) if not part.strip().startswith("echo") else part.strip()
        m = APT_PART.match(part)
        if not m:
            return None
        if m.group("pkgs") is not None:
            pkgs += [w for w in m.group("pkgs").split() if not w.startswith("-")]
        if m.group("dirs") is not None:
            setup.append("mkdir -p " + " ".join('"$1"' + shlex.quote(d) for d in m.group("dirs").split()))
        if m.group("file") is not None:
            setup.append("echo %s > \"$1\"%s" % (m.group("text"), shlex.quote(m.group("file"))))
    return (pkgs, setup) if pkgs else None


# ---------------------------------------------------------------------------- context


class Context:
    def __init__(self, mappings):
        # context path -> host path; longest prefix first
        self.mappings = sorted(
            ((k.strip("/"), os.path.abspath(v)) for k, v in mappings), key=lambda kv: -len(kv[0])
        )

    def resolve(self, src):
        """Host paths for a COPY source (a glob allowed); dies when nothing matches. A source
        that is a directory made only of mappings (COPY classes/ ... with a mapping for
        classes/a/b) resolves to ("virtual", src, [(context path, host path)])."""
        src = os.path.normpath(src.strip("/")) if src.strip("/") else "."
        for ctx, host in self.mappings:
            if src == ctx or ctx in ("", ".") or src.startswith(ctx + "/"):
                rel = src[len(ctx) :].lstrip("/") if ctx not in ("", ".") else src
                pattern = os.path.join(host, rel) if rel else host
                matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else (
                    [pattern] if os.path.lexists(pattern) else []
                )
                if not matches:
                    die("COPY source %s: nothing at %s" % (src, pattern))
                return matches
        covered = [(c, h) for c, h in self.mappings if c.startswith(src + "/")]
        if covered:
            return [("virtual", src, covered)]
        die("COPY source %s is not in the build context (give --context %s=<path>)" % (src, src))


def hash_tree(h, path, label):
    """Feeds names, modes and contents of path (file or directory) into h."""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        h.update(("L %s %s\n" % (label, os.readlink(path))).encode())
    elif stat.S_ISDIR(st.st_mode):
        h.update(("D %s %o\n" % (label, stat.S_IMODE(st.st_mode))).encode())
        for name in sorted(os.listdir(path)):
            hash_tree(h, os.path.join(path, name), label + "/" + name)
    else:
        h.update(("F %s %o %s\n" % (label, stat.S_IMODE(st.st_mode), sha256_file(path))).encode())


# ---------------------------------------------------------------------------- layers


def write_layer(root, out_tar, whiteouts=False):
    """Tar of root (sorted, numeric owners, fixed mtime); overlay whiteouts as OCI whiteouts.
    Returns the diff id (sha256 of the tar)."""
    tmp = out_tar + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        def add(path, arc):
            st = os.lstat(path)
            if whiteouts and stat.S_ISCHR(st.st_mode) and st.st_rdev == 0:
                ti = tarfile.TarInfo(os.path.join(os.path.dirname(arc), ".wh." + os.path.basename(arc)))
                ti.mtime = FIXED_MTIME
                tar.addfile(ti)
                return
            ti = tar.gettarinfo(path, arc)
            # Modification times stay as they are: the JVM's class data archive (app-cds.jsa)
            # checks those of the jars and of the JDK it was made from.
            ti.uname = ti.gname = ""
            if ti.isfile():
                with open(path, "rb") as f:
                    tar.addfile(ti, f)
            else:
                tar.addfile(ti)
            if stat.S_ISDIR(st.st_mode):
                if whiteouts:
                    try:
                        opaque = os.getxattr(path, "trusted.overlay.opaque") == b"y"
                    except OSError:
                        opaque = False
                    if opaque:
                        ti = tarfile.TarInfo(arc + "/.wh..wh..opq")
                        ti.mtime = FIXED_MTIME
                        tar.addfile(ti)
                top = arc.split("/")[0]
                if arc.count("/") == 0 and top in SKIP_CONTENT:
                    return
                for name in sorted(os.listdir(path)):
                    add(os.path.join(path, name), arc + "/" + name)

        for name in sorted(os.listdir(root)):
            add(os.path.join(root, name), name)
    os.replace(tmp, out_tar)
    return "sha256:" + sha256_file(out_tar)


# ---------------------------------------------------------------------------- the build


class Image:
    """A built image in the cache: dir/config.json, dir/layers.json ([{tar, dir, diff_id}])."""

    def __init__(self, key):
        self.key = key
        self.dir = os.path.join(CACHE, "by-key", key)

    @property
    def done(self):
        # Its own layer must be there too (not a cache someone emptied to free disk space).
        own = os.path.join(self.dir, "layer.tar")
        return (
            os.path.exists(os.path.join(self.dir, "config.json"))
            and os.path.exists(own)
            and os.path.getsize(own) > 0
        )

    def layers(self):
        with open(os.path.join(self.dir, "layers.json")) as f:
            return json.load(f)

    def config(self):
        with open(os.path.join(self.dir, "config.json"), "rb") as f:
            return f.read()


def tag_file(tag):
    return os.path.join(CACHE, "tags", re.sub(r"[^A-Za-z0-9_.-]", "_", tag))


def image_for_tag(tag):
    try:
        with open(tag_file(tag)) as f:
            img = Image(f.read().strip())
    except FileNotFoundError:
        return None
    return img if img.done else None


def debian_base(suite, slim, packages, dirs):
    """The cached mmdebstrap root filesystem: (layer dict, key)."""
    spec = {
        "builder": BASE_VERSION,
        "suite": suite,
        "slim": slim,
        "packages": sorted(packages),
        "setup": list(dirs),
    }
    key = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    base = os.path.join(CACHE, "debian", key)
    layer = {"tar": os.path.join(base, "layer.tar"), "dir": os.path.join(base, "rootfs")}
    if os.path.exists(os.path.join(base, "diff_id")) and os.path.getsize(layer["tar"]) > 0:
        with open(os.path.join(base, "diff_id")) as f:
            layer["diff_id"] = f.read().strip()
        log("debian %s%s + %s: cached (%s)" % (suite, "-slim" if slim else "", " ".join(packages) or "-", base))
        return layer, key
    if not shutil.which("mmdebstrap"):
        die("mmdebstrap is not installed (apt-get install mmdebstrap)")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    cmd = [
        "mmdebstrap",
        "--mode=root",
        "--variant=minbase",
        "--aptopt=APT::Install-Recommends \"false\"",
        # This machine's mirror may be a snapshot whose Release files are past Valid-Until.
        "--aptopt=Acquire::Check-Valid-Until \"false\"",
    ]
    if slim:
        cmd += ["--dpkgopt=" + o for o in SLIM_EXCLUDES]
    if dirs:
        cmd.append("--essential-hook=" + " && ".join(dirs))
    if packages:
        cmd.append("--include=" + ",".join(packages))
    cmd += [suite, layer["dir"]]
    sources = "/etc/apt/sources.list.d/debian.sources"
    mirrors = [sources] if os.path.exists(sources) and suite in open(sources).read() else []
    cmd += mirrors
    log("debian %s%s + %s: mmdebstrap (%s)" % (suite, "-slim" if slim else "", " ".join(packages) or "-", " ".join(mirrors) or "default mirror"))
    with open(os.path.join(base, "mmdebstrap.log"), "w") as logf:
        rc = subprocess.call(cmd, stdout=logf, stderr=subprocess.STDOUT)
    if rc != 0:
        die("mmdebstrap failed (exit %d); log: %s\n%s" % (rc, logf.name, open(logf.name).read()[-3000:]))
    log("debian base: writing its layer")
    layer["diff_id"] = write_layer(layer["dir"], layer["tar"])
    atomic_write(os.path.join(base, "diff_id"), layer["diff_id"])
    return layer, key


def build(args):
    with open(args.dockerfile) as f:
        dockerfile = f.read()
    instructions = parse_dockerfile(dockerfile)
    context = Context([c.split("=", 1) for c in args.context])
    build_args = dict(a.split("=", 1) for a in args.build_arg)

    # Pass 1: the base and the key.
    variables = {}
    i = 0
    while i < len(instructions) and instructions[i][0] == "ARG":
        for k, v in parse_kv(instructions[i][1], variables):
            variables[k] = build_args.get(k, v)
        i += 1
    if i >= len(instructions) or instructions[i][0] != "FROM":
        die("%s: the first instruction after ARG must be FROM" % args.dockerfile)
    base_ref = expand(instructions[i][1].split()[0], variables)
    i += 1
    base_layers, base_config, base_key = [], {}, ""
    m = re.match(r"^debian:([a-z]+)(-slim)?$", base_ref)
    if m:
        packages, dirs = [], []
        if i < len(instructions) and instructions[i][0] == "RUN":
            apt = apt_run(instructions[i][1])
            if apt:
                packages, dirs = apt
                i += 1
        layer, base_key = debian_base(m.group(1), bool(m.group(2)), packages, dirs)
        base_layers = [layer]
        base_config = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["bash"]}
    elif base_ref == "scratch":
        base_key = "scratch"
    else:
        base = image_for_tag(base_ref)
        if base is None:
            die("FROM %s: no such image built by hack/image/build.py (build it first)" % base_ref)
        base_layers = base.layers()
        base_config = json.loads(base.config()).get("config", {})
        base_key = base.key
    steps = instructions[i:]
    for ins, _ in steps:
        if ins == "FROM":
            die("multi-stage Dockerfiles are not supported")

    h = hashlib.sha256()
    h.update(("builder %s\nbase %s\n" % (BUILDER_VERSION, base_key)).encode())
    h.update(dockerfile.encode())
    h.update(json.dumps(sorted(build_args.items())).encode())
    for ins, rest in steps:
        if ins in ("COPY", "ADD"):
            words = [w for w in shlex.split(rest) if not w.startswith("--")]
            for src in words[:-1]:
                for host in context.resolve(expand(src, variables)):
                    if isinstance(host, tuple):
                        for c, hp in host[2]:
                            hash_tree(h, hp, c)
                    else:
                        hash_tree(h, host, os.path.basename(host))
    key = h.hexdigest()
    image = Image(key)
    if image.done:
        log("%s: cached (key %s)" % (", ".join(args.tag), key[:12]))
    else:
        run_steps(args, image, steps, variables, build_args, context, base_layers, base_config)
    os.makedirs(os.path.join(CACHE, "tags"), exist_ok=True)
    for t in args.tag:
        atomic_write(tag_file(t), key)
    return image


def run_steps(args, image, steps, variables, build_args, context, base_layers, base_config):
    work = image.dir + ".work.%d" % os.getpid()
    shutil.rmtree(work, ignore_errors=True)
    upper = os.path.join(work, "layer")
    os.makedirs(upper)
    os.makedirs(os.path.join(work, "ovl-work"))
    os.makedirs(os.path.join(work, "merged"))
    config = {
        "Env": list(base_config.get("Env") or []),
        "Entrypoint": base_config.get("Entrypoint"),
        "Cmd": base_config.get("Cmd"),
        "User": base_config.get("User", ""),
        "WorkingDir": base_config.get("WorkingDir", ""),
        "ExposedPorts": dict(base_config.get("ExposedPorts") or {}),
        "Labels": dict(base_config.get("Labels") or {}),
    }
    env = dict(e.split("=", 1) for e in config["Env"])
    script = ["set -eu", "merged=%s" % shlex.quote(os.path.join(work, "merged"))]
    lowers = ":".join(l["dir"] for l in reversed(base_layers)) if base_layers else ""
    if lowers:
        script.append(
            "mount -t overlay overlay -o %s %s"
            % (shlex.quote("lowerdir=%s,upperdir=%s,workdir=%s" % (lowers, upper, os.path.join(work, "ovl-work"))), '"$merged"')
        )
    else:
        script.append('mount --bind %s "$merged"' % shlex.quote(upper))
    mounted_run = False
    for ins, rest in steps:
        allv = dict(variables)
        allv.update(env)
        if ins == "ARG":
            for k, v in parse_kv(rest, allv):
                variables[k] = build_args.get(k, v)
        elif ins == "ENV":
            for k, v in parse_kv(rest, allv):
                env[k] = v
        elif ins == "LABEL":
            for k, v in parse_kv(rest, allv):
                config["Labels"][k] = v
        elif ins == "USER":
            config["User"] = expand(rest.strip(), allv)
        elif ins == "WORKDIR":
            wd = expand(rest.strip(), allv)
            config["WorkingDir"] = os.path.join(config["WorkingDir"] or "/", wd)
            script.append('mkdir -p "$merged"%s' % shlex.quote(config["WorkingDir"]))
        elif ins == "EXPOSE":
            for p in expand(rest, allv).split():
                config["ExposedPorts"][p if "/" in p else p + "/tcp"] = {}
        elif ins == "ENTRYPOINT":
            config["Entrypoint"] = exec_form(rest)
            config["Cmd"] = None  # as Docker: a new ENTRYPOINT drops the inherited CMD
        elif ins == "CMD":
            config["Cmd"] = exec_form(rest)
        elif ins in ("COPY", "ADD"):
            words = shlex.split(rest)
            opts = {w.split("=", 1)[0]: w.split("=", 1)[1] for w in words if w.startswith("--")}
            paths = [expand(w, allv) for w in words if not w.startswith("--")]
            srcs, dest = paths[:-1], paths[-1]
            if not dest.startswith("/"):
                dest = os.path.join(config["WorkingDir"] or "/", dest)
            chown = opts.get("--chown")
            if chown and ":" not in chown:
                chown += ":" + chown
            script.append(copy_script(context, srcs, dest, chown, opts.get("--chmod")))
        elif ins == "RUN":
            if not mounted_run:
                # What RUN writes to /tmp stays out of the image (a JVM's perf data, ...).
                script += [
                    'mount -t proc proc "$merged/proc"',
                    'mount --rbind /dev "$merged/dev"',
                    'mount -t tmpfs -o mode=1777 tmpfs "$merged/tmp"',
                ]
                mounted_run = True
            user = config["User"] or "0"
            u, _, g = user.partition(":")
            if not u.isdigit() or (g and not g.isdigit()):
                die("RUN after USER %s: give USER as uid[:gid] (names are not resolved here)" % user)
            runenv = {"HOME": "/root" if u == "0" else "/"}
            runenv.update(variables)
            runenv.update(env)
            envargs = " ".join(shlex.quote("%s=%s" % kv) for kv in sorted(runenv.items()))
            wd = shlex.quote(config["WorkingDir"] or "/")
            if rest.strip().startswith("["):
                inner = "cd %s && exec %s" % (wd, " ".join(shlex.quote(c) for c in json.loads(rest)))
            else:
                inner = "cd %s && %s" % (wd, rest)
            script.append(
                'env -i %s chroot --userspec=%s:%s "$merged" /bin/sh -c %s'
                % (envargs, u, g or u, shlex.quote(inner))
            )
        else:
            die("unsupported instruction %s" % ins)
    if mounted_run:
        script += ['umount "$merged/tmp"', 'umount -R "$merged/dev"', 'umount "$merged/proc"']
    script.append('umount "$merged"')
    config["Env"] = ["%s=%s" % kv for kv in env.items()]
    with open(os.path.join(work, "build.sh"), "w") as f:
        f.write("\n".join(script) + "\n")
    log("%s: building (%d steps)" % (", ".join(args.tag), len(steps)))
    build_log = os.path.join(work, "build.log")
    with open(build_log, "w") as logf:
        rc = subprocess.call(
            ["unshare", "--mount", "--propagation", "private", "sh", "-x", os.path.join(work, "build.sh")],
            stdout=logf, stderr=subprocess.STDOUT,
        )
    if rc != 0:
        with open(build_log) as f:
            tail = f.read()[-4000:]
        die("the build steps failed (exit %d); log %s:\n%s" % (rc, build_log, tail))
    shutil.rmtree(os.path.join(work, "ovl-work"), ignore_errors=True)
    layer_tar = os.path.join(work, "layer.tar")
    diff_id = write_layer(upper, layer_tar, whiteouts=True)
    layers = list(base_layers)
    layers.append({"tar": os.path.join(image.dir, "layer.tar"), "dir": os.path.join(image.dir, "layer"), "diff_id": diff_id})
    cfg = {
        "architecture": "amd64",
        "os": "linux",
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(FIXED_MTIME)),
        "config": {k: v for k, v in config.items() if v not in (None, "", {}, [])},
        "rootfs": {"type": "layers", "diff_ids": [l["diff_id"] for l in layers]},
        "history": [{"created_by": "hack/image/build.py %s" % os.path.basename(args.dockerfile)}],
    }
    if config["Env"]:
        cfg["config"]["Env"] = config["Env"]
    shutil.rmtree(image.dir, ignore_errors=True)
    os.makedirs(image.dir)
    os.replace(upper, os.path.join(image.dir, "layer"))
    os.replace(layer_tar, os.path.join(image.dir, "layer.tar"))
    atomic_write(os.path.join(image.dir, "layers.json"), json.dumps(layers, indent=1))
    atomic_write(os.path.join(image.dir, "config.json"), json.dumps(cfg, sort_keys=True).encode())
    shutil.rmtree(work, ignore_errors=True)
    log("%s: built, %d layers, top layer %s" % (", ".join(args.tag), len(layers), diff_id[:19]))


def copy_script(context, srcs, dest, chown, chmod):
    """Shell lines that copy srcs into "$merged"+dest, Docker's COPY semantics."""
    lines = []
    many = len(srcs) > 1
    for src in srcs:
        for host in context.resolve(src):
            if isinstance(host, tuple):  # a directory made of several mappings
                _, prefix, covered = host
                for c, hp in covered:
                    sub = c[len(prefix) + 1 :]
                    target = os.path.join(dest, sub)
                    lines.append(copy_one(hp, target, chown, chmod, as_dir_contents=os.path.isdir(hp)))
                continue
            if os.path.isdir(host) and not os.path.islink(host):
                lines.append(copy_one(host, dest, chown, chmod, as_dir_contents=True))
            elif dest.endswith("/") or many or glob.has_magic(src):
                lines.append(copy_one(host, os.path.join(dest, os.path.basename(host)), chown, chmod))
            else:
                lines.append(copy_one(host, dest, chown, chmod))
    return "\n".join(lines)


def copy_one(host, target, chown, chmod, as_dir_contents=False):
    q = shlex.quote
    t = '"$merged"' + q(target.rstrip("/") or "/")
    if as_dir_contents:
        # A destination directory this COPY creates gets the owner too (as with BuildKit).
        s = "if [ -e %s ]; then new=0; else new=1; fi && mkdir -p %s && cp -a --no-preserve=ownership %s/. %s" % (t, t, q(host), t)
        if chown:
            s += " && if [ $new = 1 ]; then chown %s %s; fi" % (q(chown), t)
        # Only what was copied changes owner or mode, as with Docker.
        for name in sorted(os.listdir(host)):
            if chown:
                s += " && chown -hR %s %s/%s" % (q(chown), t, q(name))
            if chmod:
                s += " && chmod -R %s %s/%s" % (q(chmod), t, q(name))
    else:
        s = "mkdir -p \"$(dirname %s)\" && cp -a --no-preserve=ownership %s %s" % (t, q(host), t)
        if chown:
            s += " && chown -h %s %s" % (q(chown), t)
        if chmod:
            s += " && chmod %s %s" % (q(chmod), t)
    return s


# ---------------------------------------------------------------------------- output


def write_archive(image, tags, out):
    """A docker-archive of image, tagged with tags, at out (a path, or a binary stream)."""
    entries = [(image, tags)]
    if not isinstance(out, str):
        return write_archive_to(entries, out)
    tmp = out + ".tmp.%d" % os.getpid()
    with open(tmp, "wb") as f:
        write_archive_to(entries, f)
    os.replace(tmp, out)


def write_archive_to(entries, stream):
    """One docker-archive with several images, [(image, tags)], their common layers once."""
    manifest = []
    with tarfile.open(fileobj=stream, mode="w|") as tar:
        def add_bytes(name, data):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = FIXED_MTIME
            tar.addfile(ti, io.BytesIO(data))

        seen = set()
        for image, tags in entries:
            layers = image.layers()
            config = image.config()
            config_name = hashlib.sha256(config).hexdigest() + ".json"
            manifest.append({
                "Config": config_name,
                "RepoTags": list(tags),
                "Layers": [l["diff_id"].split(":", 1)[1] + "/layer.tar" for l in layers],
            })
            if config_name not in seen:
                seen.add(config_name)
                add_bytes(config_name, config)
            for l in layers:
                name = l["diff_id"].split(":", 1)[1] + "/layer.tar"
                if name in seen:
                    continue
                seen.add(name)
                ti = tar.gettarinfo(l["tar"], arcname=name)
                ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = FIXED_MTIME, 0, 0, "", ""
                with open(l["tar"], "rb") as f:
                    tar.addfile(ti, f)
        add_bytes("manifest.json", json.dumps(manifest).encode())


def normalize(tag):
    """The name containerd stores (docker.io/library/ for short names, as the kubelet asks)."""
    name = tag
    first = name.split("/", 1)[0]
    if "/" not in name:
        name = "docker.io/library/" + name
    elif "." not in first and ":" not in first and first != "localhost":
        name = "docker.io/" + name
    if ":" not in name.rsplit("/", 1)[-1] and "@" not in name:
        name += ":latest"
    return name


def import_image(image, tags, archive, address):
    import_images([(image, tags)], archive, address)


def ctr_manifest_digest(address, tag):
    """The manifest digest containerd has for tag, or None."""
    r = subprocess.run(
        ["ctr", "--address", address, "-n", "k8s.io", "images", "ls", "name==" + normalize(tag)],
        capture_output=True, text=True,
    )
    if r.returncode != 0:
        die("cannot list images in containerd at %s: %s" % (address, r.stderr.strip()))
    lines = r.stdout.strip().splitlines()
    return lines[-1].split()[2] if len(lines) >= 2 else None


def import_images(entries, archive, address):
    """Loads [(image, tags)] into the containerd at address (namespace k8s.io), in one archive,
    unless it has them already (the config and manifest digests of the last import are kept)."""
    marker_dir = os.path.join(CACHE, "imported")
    os.makedirs(marker_dir, exist_ok=True)

    def marker(tag):
        return os.path.join(marker_dir, hashlib.sha256((address + normalize(tag)).encode()).hexdigest())

    todo = []
    for image, tags in entries:
        config_digest = "sha256:" + hashlib.sha256(image.config()).hexdigest()
        for t in tags:
            current = ctr_manifest_digest(address, t)
            try:
                with open(marker(t)) as f:
                    same = current is not None and f.read().strip() == config_digest + " " + current
            except FileNotFoundError:
                same = False
            if not same:
                todo.append((image, tags))
                break
    names = ", ".join(t for _, tags in entries for t in tags)
    if not todo:
        log("%s: already in containerd (%s)" % (names, address))
        return
    started = time.monotonic()
    cmd = ["ctr", "--address", address, "-n", "k8s.io", "images", "import"]
    if archive:
        r = subprocess.run(cmd + [archive], capture_output=True, text=True)
        output = r.stdout + r.stderr
        rc = r.returncode
    else:
        # Streamed: no archive on disk for images only loaded into containerd.
        with tempfile.TemporaryFile() as errors:
            proc = subprocess.Popen(cmd + ["-"], stdin=subprocess.PIPE, stdout=errors, stderr=errors)
            try:
                write_archive_to(todo, proc.stdin)
            except BrokenPipeError:
                pass
            finally:
                try:
                    proc.stdin.close()
                except BrokenPipeError:
                    pass
            rc = proc.wait()
            errors.seek(0)
            output = errors.read().decode(errors="replace")
    if rc != 0:
        die("ctr images import %s failed: %s" % (archive or "-", output))
    for image, tags in todo:
        config_digest = "sha256:" + hashlib.sha256(image.config()).hexdigest()
        for t in tags:
            current = ctr_manifest_digest(address, t)
            if current is None:
                die("after the import containerd has no image %s" % normalize(t))
            atomic_write(marker(t), config_digest + " " + current)
    log("%s: imported into containerd in %.1fs" % (", ".join(t for _, tags in todo for t in tags), time.monotonic() - started))


def collect_garbage():
    """Removes built images no tag points at any more (a new build of the operator makes the last
    one unreachable), with the images built on them, once they are an hour old: the cache keeps
    what the tags name and their bases, not every build."""
    by_key = os.path.join(CACHE, "by-key")
    tags_dir = os.path.join(CACHE, "tags")
    if not os.path.isdir(by_key) or not os.path.isdir(tags_dir):
        return
    live = set()
    for t in os.listdir(tags_dir):
        try:
            with open(os.path.join(tags_dir, t)) as f:
                img = Image(f.read().strip())
            live.add(img.key)
            for l in img.layers() if img.done else []:
                d = os.path.dirname(l["dir"])
                if os.path.dirname(d) == by_key:
                    live.add(os.path.basename(d))
        except (OSError, ValueError):
            continue
    now = time.time()
    freed = 0
    candidates = [(os.path.join(by_key, key), key) for key in os.listdir(by_key)]
    # Debian bases no live image is built on (an older package list, suite or builder).
    debian = os.path.join(CACHE, "debian")
    live_bases = set()
    for t in os.listdir(tags_dir):
        try:
            with open(os.path.join(tags_dir, t)) as f:
                img = Image(f.read().strip())
            for l in img.layers() if img.done else []:
                if os.path.dirname(os.path.dirname(l["dir"])) == debian:
                    live_bases.add(os.path.basename(os.path.dirname(l["dir"])))
        except (OSError, ValueError):
            continue
    if os.path.isdir(debian):
        candidates += [(os.path.join(debian, k), k) for k in os.listdir(debian) if k not in live_bases]
    for path, key in candidates:
        if key in live or now - os.stat(path).st_mtime < 3600:
            continue
        if ".work." in key:
            pid = key.rsplit(".", 1)[-1]
            if pid.isdigit() and os.path.exists("/proc/" + pid):
                continue
        for root, _, files in os.walk(path):
            for name in files:
                try:
                    freed += os.lstat(os.path.join(root, name)).st_size
                except OSError:
                    pass
        shutil.rmtree(path, ignore_errors=True)
    if freed:
        log("cache: removed images no tag names any more (%d MB)" % (freed >> 20))


def import_main(argv):
    """build.py import [--containerd-address SOCKET] TAG...: loads images built before, in one
    archive (their shared layers once)."""
    p = argparse.ArgumentParser(prog="build.py import", description=import_main.__doc__)
    p.add_argument("--containerd-address", default="/run/containerd/containerd.sock")
    p.add_argument("tags", nargs="+")
    args = p.parse_args(argv)
    entries = {}
    for t in args.tags:
        image = image_for_tag(t)
        if image is None:
            die("no image %s built by hack/image/build.py" % t)
        entries.setdefault(image.key, (image, []))[1].append(t)
    import_images(list(entries.values()), None, args.containerd_address)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "import":
        return import_main(sys.argv[2:])
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dockerfile", required=True)
    p.add_argument("--context", action="append", default=[], help="<path in the context>=<host path>")
    p.add_argument("--build-arg", action="append", default=[])
    p.add_argument("--tag", action="append", required=True)
    p.add_argument("--output", help="write the docker-archive here")
    p.add_argument("--import", dest="do_import", action="store_true", help="load it into containerd")
    p.add_argument("--containerd-address", default="/run/containerd/containerd.sock")
    args = p.parse_args()
    if os.geteuid() != 0:
        die("needs root (mmdebstrap, overlay mounts, chroot, file ownership)")
    os.makedirs(CACHE, exist_ok=True)
    image = build(args)
    out = args.output
    if out:
        write_archive(image, args.tag, out)
        log("archive: %s (%d MB)" % (out, os.path.getsize(out) >> 20))
    if args.do_import:
        import_image(image, args.tag, out, args.containerd_address)
    collect_garbage()
    print(out or image.dir)


if __name__ == "__main__":
    main()
