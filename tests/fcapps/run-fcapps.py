#!/usr/bin/env python3
"""The fcapps test step: apps written against Femto-Containers' API (their
helper names, numbers, struct layouts and published behaviour; our own code),
built with their recipe (clang -Os -emit-llvm | llc -march=bpf -mcpu=v2),
made into one container for thumbv7m and rv32imac, and run unchanged on
every engine (femto-run: the interpreter, Thumb-2 on a Cortex-M3, RV32IMAC)
and both boards (femto-board mps2-an385, sifive_e) with simulated sensors, a
CoAP request and extra regions. Each result (printed output, CoAP response
bytes, r0) must equal what the same C source gives built for this host
against host/model.c, an independent model of the helpers; the engines'
full 64-bit r0 must agree with each other.

usage: run-fcapps.py BIN OUT CLANG LLC [FIRMWARE_DIR]
"""
import os, re, struct, subprocess, sys

BIN, OUT, CLANG, LLC = sys.argv[1:5]
FW = sys.argv[5] if len(sys.argv) > 5 else ""
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
os.makedirs(OUT, exist_ok=True)

SAUL = ["--saul", "temp:2150,hum:4500,light:312:0:5"]   # host/model.c has the same sensors
REQ = "42011234abcdb474656d70"                            # CON GET /temp, token ab cd
COAP = ["--coap-req-hex", REQ]
data = bytes((i * 37 + 11) & 0xff for i in range(360))
open(os.path.join(OUT, "words.bin"), "wb").write(data)
open(os.path.join(OUT, "fletcher-ctx.bin"), "wb").write(struct.pack("<QI4x", 0, len(data) // 2))
FLETCHER = ["--mem", os.path.join(OUT, "fletcher-ctx.bin"), "--region",
            "@0:" + os.path.join(OUT, "words.bin") + ":r"]
FLETCHER_BOARD = ["--ctx", os.path.join(OUT, "fletcher-ctx.bin"), "--region",
                  "@0:" + os.path.join(OUT, "words.bin") + ":r"]

# name, entry, host driver mode and argument, femto-run args, femto-board args,
# void (1: r0 is 0; 2: r0 is whatever the last helper left)
APPS = [
    ("fletcher32", "fletcher32_bpf", ["fletcher", os.path.join(OUT, "words.bin")], FLETCHER, FLETCHER_BOARD, 0),
    ("counter", "counter", ["none"], [], [], 0),
    ("saul_read", "saul_read", ["none"], SAUL, SAUL, 0),
    ("coap_sensor", "coap_resp", ["coap", REQ], SAUL + COAP, SAUL + COAP, 0),
    ("coap_counter", "coap_resp", ["coap", REQ], COAP, COAP, 0),
    ("ztimer", "periodic", ["none"], [], [], 0),
    ("void_store", "void_store", ["mem", "05000000"], ["--mem-hex", "05000000"], ["--ctx-hex", "05000000"], 1),
    # void, but its last helper call left r0 (printf's count): only the output is compared
    # with the host, r0 between the engines
    ("void_hook", "void_hook", ["none"], [], [], 2),
]
# name, femto-run args, the error every engine must report (derived from docs/sandbox.md)
FAILS = [
    ("coap_forged", COAP, COAP, r"helper fault: helper gcoap_resp_init refused"),
    ("fc_assert", ["--mem-hex", "0001"], ["--ctx-hex", "0001"], r"program stopped by helper: fc_abort\(9\)"),
    ("fc_assert", ["--mem-hex", "01020304"], ["--ctx-hex", "01020304"],
     r"helper fault: printf's format or a %s argument"),
]
ENGINES = [("interpreter", ["--engine", "interp"]),
           ("thumbv7m", ["--core", "thumbv7m", "--engine", "native"]),
           ("rv32imac", ["--core", "rv32imac", "--engine", "native"])]
BOARDS = ["mps2-an385", "sifive_e"]

passed = failed = 0
def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}")
        if detail:
            print("    " + detail.rstrip().replace("\n", "\n    "))

def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr

def low32(out):
    """Output with the final r0 line reduced to its low 32 bits."""
    lines = out.rstrip("\n").split("\n")
    if lines and re.fullmatch(r"0x[0-9a-f]+", lines[-1]):
        lines[-1] = "0x%x" % (int(lines[-1], 16) & 0xffffffff)
    return "\n".join(lines) + "\n"

def board_out(out):
    """femto-board's output in femto-run's shape (run 1 only)."""
    lines, r0 = [], None
    for l in out.splitlines():
        m = re.match(r"board: run 1 \((native|interpreter)\): r0 = (0x[0-9a-f]+)", l)
        if m:
            r0 = (m.group(1), int(m.group(2), 16))
        elif l.startswith("board: coap response:"):
            lines.append(l[len("board: "):])
        elif not l.startswith("board: "):
            lines.append(l)
    if r0 is None:
        return None, None
    return r0[0], "\n".join(lines + ["0x%x" % (r0[1] & 0xffffffff)]) + "\n"

def same(got, want, void):
    if void == 2:   # everything but the r0 line
        return got.split("\n")[:-2] == want.split("\n")[:-2]
    return got == want

def build(name):
    src = os.path.join(HERE, "apps", name + ".c")
    obj = os.path.join(OUT, name + ".o")
    fcx = os.path.join(OUT, name + ".fcx")
    # Femto-Containers' recipe, unchanged
    p = subprocess.run(f"{CLANG} -Os -Wall -Werror -I{HERE}/include -I{ROOT}/runtime -emit-llvm -c {src} -o - "
                       f"| {LLC} -march=bpf -mcpu=v2 -filetype=obj -o {obj}", shell=True,
                       capture_output=True, text=True)
    if p.returncode:
        return None, p.stderr
    rc, o, e = run([os.path.join(BIN, "femtoc"), obj, "-march=thumbv7m,rv32imac", "-o", fcx])
    return (fcx if rc == 0 else None), e

femto_run = os.path.join(BIN, "femto-run")
femto_board = [sys.executable, os.path.join(ROOT, "tools", "femto-board")]

for name, entry, hmode, frargs, fbargs, void in APPS:
    fcx, err = build(name)
    check(f"{name}: built with clang -Os -emit-llvm | llc -march=bpf -mcpu=v2, femtoc verified it", fcx, err)
    if not fcx:
        continue
    host = os.path.join(OUT, "host-" + name)
    p = subprocess.run(["gcc", "-O1", "-Wall", "-Werror", "-I" + os.path.join(HERE, "host"),
                        "-I" + os.path.join(HERE, "include"), f"-DENTRY={entry}"]
                       + (["-DRET_VOID"] if void else []) +
                       [os.path.join(HERE, "apps", name + ".c"), os.path.join(HERE, "host", "model.c"),
                        os.path.join(HERE, "host", "main.c"), "-o", host], capture_output=True, text=True)
    if p.returncode:
        check(f"{name}: host build", False, p.stderr)
        continue
    rc, want, e = run([host] + hmode)
    if rc:
        check(f"{name}: host model run", False, e)
        continue
    full = {}
    for ename, eargs in ENGINES:
        rc, out, e = run([femto_run, fcx] + eargs + frargs)
        full[ename] = out
        r0txt = "output" if void == 2 else want.splitlines()[-1] + ", output and CoAP bytes"
        check(f"{name} on {ename}: {r0txt} as the host build",
              rc == 0 and same(low32(out), want, void), f"rc {rc}\nwant:\n{want}got:\n{out}{e}")
    check(f"{name}: the engines' full results are identical", len(set(full.values())) == 1,
          "\n".join(f"{k}:\n{v}" for k, v in full.items()))
    if not FW:
        continue
    for board in BOARDS:
        rc, out, e = run(femto_board + ["--board", board, "--firmware", os.path.join(FW, board + ".elf"), fcx]
                         + fbargs)
        eng, got = board_out(out + e)   # the firmware writes through semihosting to stderr
        check(f"{name} on {board} ({eng} code): as the host build",
              rc == 0 and eng == "native" and got is not None and same(got, want, void),
              f"rc {rc}\nwant:\n{want}got:\n{out}{e}")

for name, frargs, fbargs, pattern in FAILS:
    fcx, err = build(name)
    if not fcx:
        check(f"{name}: built", False, err)
        continue
    for ename, eargs in ENGINES:
        rc, out, e = run([femto_run, fcx] + eargs + frargs)
        check(f"{name} {' '.join(frargs[:2])} on {ename}: /{pattern}/", rc == 1 and re.search(pattern, e),
              f"rc {rc}\n{out}{e}")
    for board in BOARDS if FW else []:
        rc, out, e = run(femto_board + ["--board", board, "--firmware", os.path.join(FW, board + ".elf"), fcx]
                         + fbargs)
        code = {"helper fault": "8", "stopped": "9"}["helper fault" if "fault" in pattern else "stopped"]
        check(f"{name} {' '.join(fbargs[:2])} on {board}: error {code}", rc == 1 and
              re.search(rf"run 1: error {code} ", out + e), f"rc {rc}\n{out}{e}")

# Femto-Containers' own image format (rBPF), written here from its documented
# layout: lddw r1, .rodata+0 (their 0xd8); mov r2, 5; call printf;
# lddw r2, .data+4 (their 0xb8); ldxw r0, [r2]; exit. So: "rbpf says 5", r0 42.
def ins(op, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", op, dst | src << 4, off, imm)
text = (ins(0xd8, 1) + ins(0) + ins(0xb7, 2, imm=5) + ins(0x85, imm=1) + ins(0xb8, 2, imm=4) + ins(0) +
        ins(0x61, 0, 2) + ins(0x95))
rodata = b"rbpf says %d\n\0"
name_off = len(rodata)
rodata += b"main\0" + b"\0" * ((-len(rodata) - 5) % 8)
img = (b"rBPF" + struct.pack("<IIIIII", 0, 0, 8, len(rodata), len(text), 1) + struct.pack("<II", 7, 42) +
       rodata + text + struct.pack("<HHH", name_off, 0, 0))
rb = os.path.join(OUT, "app.bin")
open(rb, "wb").write(img)
open(os.path.join(OUT, "later.bin"), "wb").write(img + bytes(8))
rbfcx = os.path.join(OUT, "rbpf.fcx")
rc, o, e = run([os.path.join(BIN, "femtoc"), rb, "-march=thumbv7m,rv32imac", "-o", rbfcx])
check("an rBPF image (Femto-Containers' format) is femtoc input", rc == 0, e)
for ename, eargs in ENGINES if rc == 0 else []:
    rc2, out, e = run([femto_run, rbfcx] + eargs)
    check(f"the rBPF image on {ename}: its .rodata string, .data word", rc2 == 0 and
          out == "rbpf says 5\n0x2a\n", out + e)
rc, o, e = run([os.path.join(BIN, "femtoc"), os.path.join(OUT, "later.bin"), "-o", os.path.join(OUT, "x.fcx")])
check("an rBPF layout femtoc does not read is refused, saying what it is and how to build an ELF",
      rc != 0 and "Femto-Containers (rBPF) image" in e and "llc -march=bpf" in e, e)

if not FW:
    print("fcapps: boards skipped: no firmware directory given")
print(f"fcapps: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
