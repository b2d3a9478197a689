#!/usr/bin/env python3
"""gensyscalls.py: derive every syscall artefact from kern/syscalls.tbl.

Usage: gensyscalls.py TABLE OUTDIR

Writes, under OUTDIR:
  kern/sysproto.h              kernel prototypes of sys_NAME()
  kern/sysent.c                kernel dispatch table and argument trampolines
  include/rump/rump_syscalls.h public rump_sys_* prototypes, RUMP_SYS_* numbers
  rump_sys_edge.c              the rump_sys_* functions: they pack arguments
                               and call rump_edge_syscall(), which librump
                               implements with a local call into the kernel
                               and librumpclient with a remote call
  sysdesc.c                    wire descriptions of each call's arguments
"""
import os
import re
import sys

# Host type -> kernel ABI type.
KTYPES = {
    "struct stat": "struct kstat",
    "struct statfs": "struct kstatfs",
    "struct statx": "struct kstatx",
    "struct pollfd": "struct kpollfd",
    "struct iovec": "struct kiovec",
    "struct utsname": "struct kutsname",
    "struct timespec": "struct ktimespec",
    "struct rlimit": "struct krlimit",
    "sigset_t": "ksigset_t",
}
# Host structs whose layout is converted field by field at the local edge.
CONVERTED = {"struct stat": "hostabi_stat", "struct statfs": "hostabi_statfs"}

# Wire sizes of the plain types that pointer arguments point to (the wire
# never depends on the host's C type sizes).
WIRE_SIZES = {"int": "4", "gid_t": "4", "uid_t": "4", "size_t": "8",
              "char": "1", "void": "1"}


def wire_sizeof(t):
    """C expression for the wire size of pointee type t."""
    if t in WIRE_SIZES:
        return WIRE_SIZES[t]
    return "sizeof(%s)" % KTYPES.get(t, t)


ARG_RE = re.compile(r"^(?P<decl>[^@]+?)\s*(?P<ann>(@\S+\s*)*)$")


class Arg:
    """One argument: its C type, name and wire annotations."""

    def __init__(self, text):
        m = ARG_RE.match(text.strip())
        if not m:
            raise SystemExit("bad argument: %r" % text)
        decl = m.group("decl").strip()
        dm = re.match(r"^(.*?)(\w+)$", decl)
        self.ctype = dm.group(1).strip()
        self.name = dm.group(2)
        self.ann = m.group("ann").split()
        self.va = "@va" in self.ann
        self.opt = "@opt" in self.ann
        self.retlen = "@retlen" in self.ann
        self.kind = "scalar"
        self.size = None
        for a in self.ann:
            km = re.match(r"^@(str|in|out|inout|iovin|iovout)"
                          r"(1|\((.+)\)|\[(.+)\])?$", a)
            if not km:
                continue
            base, suffix = km.group(1), km.group(2)
            if base == "str":
                self.kind = "str"
            elif base.startswith("iov"):
                self.kind, self.size = base, km.group(3)
            elif suffix == "1":
                self.kind = base + "1"
            elif km.group(3):
                self.kind, self.size = base + "buf", km.group(3)
            else:
                self.kind, self.size = base + "arr", km.group(4)

    def pointee(self):
        t = self.ctype.replace("const", "").replace("*", "").strip()
        return t

    def ktype(self):
        t = self.ctype
        for host, kern in KTYPES.items():
            t = re.sub(r"\b%s\b" % re.escape(host), kern, t)
        return t


class Call:
    def __init__(self, line):
        f = [x.strip() for x in line.split("|")]
        if len(f) != 4:
            raise SystemExit("bad line: %r" % line)
        self.nr = int(f[0])
        self.name = f[1]
        ret = f[2]
        self.retarg = None
        if "=" in ret:
            ret, self.retarg = [x.strip() for x in ret.split("=")]
        self.ret = ret
        self.args = [Arg(a) for a in f[3].split(",")] if f[3] else []
        if len(self.args) > 6:
            raise SystemExit("%s: more than 6 arguments" % self.name)
        self.variadic = any(a.va for a in self.args)


def parse(path):
    calls = []
    for line in open(path):
        line = line.strip()
        if line and not line.startswith("#"):
            calls.append(Call(line))
    names = [c.name for c in calls]
    nrs = [c.nr for c in calls]
    if len(set(names)) != len(names) or len(set(nrs)) != len(nrs):
        raise SystemExit("duplicate syscall name or number")
    return calls


def pub_proto(c):
    fixed = [a for a in c.args if not a.va]
    params = ", ".join("%s %s" % (a.ctype, a.name) if not a.ctype.endswith("*")
                       else "%s%s" % (a.ctype, a.name) for a in fixed)
    if c.variadic:
        params += ", ..."
    if not params:
        params = "void"
    ret = c.ret if c.ret.endswith("*") else c.ret + " "
    return "%srump_sys_%s(%s)" % (ret, c.name, params)


def kern_proto(c):
    params = ["struct lwp *l"]
    for a in c.args:
        kt = a.ktype()
        params.append("%s%s%s" % (kt, "" if kt.endswith("*") else " ", a.name))
    params.append("register_t *retval")
    return "int sys_%s(%s)" % (c.name, ", ".join(params))


HDR = "/* Generated by tools/gensyscalls.py from kern/syscalls.tbl: do not edit. */\n"


def gen_sysproto(calls):
    out = [HDR, "#ifndef KERN_SYSPROTO_H\n#define KERN_SYSPROTO_H\n\n",
           '#include "kern.h"\n\nstruct lwp;\n\n']
    for c in calls:
        out.append("%s;\n" % kern_proto(c))
    out.append("\n#endif\n")
    return "".join(out)


def gen_sysent(calls):
    out = [HDR, '#include "kern.h"\n#include "proc.h"\n#include "syscall.h"\n',
           '#include "sysproto.h"\n\n']
    for c in calls:
        out.append("static int\nsy_%s(struct lwp *l, const register_t *a, "
                   "register_t *rv)\n{\n" % c.name)
        if not c.args:
            out.append("\t(void)a;\n")
        casts = ["(%s)a[%d]" % (a.ktype(), i) for i, a in enumerate(c.args)]
        out.append("\treturn sys_%s(%s);\n}\n\n"
                   % (c.name, ", ".join(["l"] + casts + ["rv"])))
    maxnr = max(c.nr for c in calls)
    out.append("const int sysent_max = %d;\n" % (maxnr + 1))
    out.append("const struct sysent sysent[%d] = {\n" % (maxnr + 1))
    for c in calls:
        out.append('\t[%d] = { "%s", %d, sy_%s },\n'
                   % (c.nr, c.name, len(c.args), c.name))
    out.append("};\n")
    return "".join(out)


def gen_public_header(calls):
    out = [HDR, "#ifndef RUMP_RUMP_SYSCALLS_H\n#define RUMP_RUMP_SYSCALLS_H\n\n",
           "#include <poll.h>\n#include <signal.h>\n#include <stddef.h>\n",
           "#include <sys/resource.h>\n#include <sys/stat.h>\n",
           "#include <sys/statfs.h>\n#include <sys/types.h>\n#include <sys/uio.h>\n",
           "#include <sys/utsname.h>\n#include <time.h>\n\n",
           "#include <rump/rump_kabi.h>\n\n",
           "struct statx;\n\n",
           "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"]
    for c in calls:
        out.append("#define RUMP_SYS_%s %d\n" % (c.name, c.nr))
    out.append("\n")
    for c in calls:
        out.append("%s;\n" % pub_proto(c))
    out.append("/* Not system calls of their own: built on the ones above. */\n")
    out.append("int rump_sys_futimens(int fd, const struct timespec *times);\n")
    out.append("\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n")
    return "".join(out)


def gen_local(calls):
    out = [HDR, "#include <errno.h>\n#include <fcntl.h>\n#include <stdarg.h>\n",
           "#include <rump/rump_syscalls.h>\n\n#include \"hostabi.h\"\n",
           "#include \"rump_edge.h\"\n\n"]
    for c in calls:
        out.append("%s\n{\n" % re.sub(r"\s*rump_sys_", "\nrump_sys_",
                                        pub_proto(c), count=1))
        out.append("\tint64_t a[6] = { 0 }, rv = 0;\n\tint error;\n")
        conv = []
        for a in c.args:
            if a.kind == "out1" and a.pointee() in CONVERTED:
                conv.append(a)
                out.append("\t%s k_%s;\n" % (KTYPES[a.pointee()], a.name))
        if c.variadic:
            fixed = [a for a in c.args if not a.va]
            out.append("\tva_list ap;\n\n\tva_start(ap, %s);\n" % fixed[-1].name)
            for a in c.args:
                if a.va:
                    if a.ctype == "mode_t":
                        # Like libc: the mode is there only for creation.
                        out.append("\t%s %s = (flags & (O_CREAT | O_TMPFILE)) ?"
                                   " (mode_t)va_arg(ap, unsigned int) : 0;\n"
                                   % (a.ctype, a.name))
                    else:
                        out.append("\t%s %s = va_arg(ap, %s);\n"
                                   % (a.ctype, a.name, a.ctype))
            out.append("\tva_end(ap);\n")
        out.append("\n")
        for i, a in enumerate(c.args):
            if a in conv:
                out.append("\ta[%d] = (int64_t)(%s ? &k_%s : NULL);\n"
                           % (i, a.name, a.name))
            else:
                out.append("\ta[%d] = (int64_t)%s;\n" % (i, a.name))
        out.append("\terror = rump_edge_syscall(%d, a, &rv);\n" % c.nr)
        for a in conv:
            out.append("\tif (error == 0 && %s != NULL)\n\t\t%s_from_kernel(%s, &k_%s);\n"
                       % (a.name, CONVERTED[a.pointee()], a.name, a.name))
        if c.ret == "void":
            out.append("\t(void)error;\n}\n\n")
            continue
        out.append("\tif (error != 0) {\n\t\terrno = error;\n")
        if c.ret.endswith("*"):
            out.append("\t\treturn NULL;\n\t}\n\treturn %s;\n}\n\n" % c.retarg)
        else:
            out.append("\t\treturn (%s)-1;\n\t}\n\treturn (%s)rv;\n}\n\n"
                       % (c.ret, c.ret))
    out.append("/* Not a system call of its own: libc builds futimens on "
               "utimensat too. */\n"
               "int\nrump_sys_futimens(int fd, const struct timespec *times)\n"
               "{\n\treturn rump_sys_utimensat(fd, NULL, times, 0);\n}\n")
    return "".join(out)


KIND_ENUM = {
    "scalar": "SD_SCALAR", "str": "SD_STR",
    "inbuf": "SD_INBUF", "outbuf": "SD_OUTBUF", "inoutbuf": "SD_INOUTBUF",
    "in1": "SD_IN1", "out1": "SD_OUT1", "inout1": "SD_INOUT1",
    "inarr": "SD_INARR", "outarr": "SD_OUTARR", "inoutarr": "SD_INOUTARR",
    "iovin": "SD_IOVIN", "iovout": "SD_IOVOUT",
}


def gen_sysdesc(calls):
    """Wire descriptions: for each argument its kind, the index of the
    argument giving its length or count (-1 if fixed or none, -2 if the
    length is what another pointer argument points to), and element size."""
    out = [HDR, '#include "sysdesc.h"\n\n']
    for c in calls:
        names = [a.name for a in c.args]
        out.append("static const struct sysdesc_arg sd_%s[] = {\n" % c.name)
        for a in c.args:
            lenidx, esize = -1, "0"
            if a.size is not None:
                s = a.size.lstrip("*")
                if s.isdigit():
                    esize_n = int(s)
                    lenidx = -1
                    if a.kind.endswith("arr"):
                        esize = "%s * %d" % (wire_sizeof(a.pointee()),
                                             esize_n)
                    else:
                        esize = str(esize_n)
                else:
                    lenidx = names.index(s)
                    if a.size.startswith("*"):
                        lenidx = -2 - lenidx
            if a.kind in ("in1", "out1", "inout1") or a.kind.endswith("arr"):
                if a.size is None or not a.size.lstrip("*").isdigit():
                    esize = wire_sizeof(a.pointee())
            ktype = KTYPES.get(a.pointee(), a.pointee()) \
                if a.kind != "scalar" else a.ctype
            out.append('\t{ %s, %d, %s, %d, %d, "%s" },\n'
                       % (KIND_ENUM[a.kind], lenidx, esize, int(a.opt),
                          int(a.retlen), ktype))
        if not c.args:
            out.append('\t{ SD_SCALAR, -1, 0, 0, 0, "" },\n')
        out.append("};\n")
    maxnr = max(c.nr for c in calls)
    out.append("\nconst int sysdesc_max = %d;\n" % (maxnr + 1))
    out.append("const struct sysdesc sysdesc[%d] = {\n" % (maxnr + 1))
    for c in calls:
        out.append('\t[%d] = { "%s", %d, sd_%s },\n'
                   % (c.nr, c.name, len(c.args), c.name))
    out.append("};\n")
    return "".join(out)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path, "w") as f:
        f.write(text)


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: gensyscalls.py TABLE OUTDIR")
    calls = parse(sys.argv[1])
    outdir = sys.argv[2]
    write(os.path.join(outdir, "kern/sysproto.h"), gen_sysproto(calls))
    write(os.path.join(outdir, "kern/sysent.c"), gen_sysent(calls))
    write(os.path.join(outdir, "include/rump/rump_syscalls.h"),
          gen_public_header(calls))
    write(os.path.join(outdir, "rump_sys_edge.c"), gen_local(calls))
    write(os.path.join(outdir, "sysdesc.c"), gen_sysdesc(calls))


if __name__ == "__main__":
    main()
