#!/bin/bash
# tests/verify/run-neg.sh FEMTOC OBJDIR NEGDIR
#
# Every program in NEGDIR must be refused by femtoc with a given message.
#   *.s   eBPF assembly (bpf_conformance syntax); first lines:
#           # expect: TEXT       (required) a fixed string femtoc must print
#           # options: ARGS      (optional) extra femtoc options
#   *.c   C compiled with clang into OBJDIR; the same keys after `//`, plus
#           // cflags: FLAGS     extra compiler flags
#           // cc: COMMAND       compiler command (default: clang -target bpf)
# A case passes when femtoc exits with status 1 and its messages contain
# TEXT. Prints one line per case and "verify-neg: N passed, N failed".
femtoc=$1; objdir=$2; negdir=$3
mkdir -p "$objdir"
pass=0; fail=0

key() { # key FILE PREFIX NAME -> value of the first "PREFIX NAME: value" line
    grep -m1 -E "^$2 $3:" "$1" | sed -E "s@^$2 $3: ?@@"
}

for f in "$negdir"/*.s "$negdir"/*.c; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    case "$f" in *.s) p='#' ;; *.c) p='//' ;; esac
    expect=$(key "$f" "$p" expect)
    opts=$(key "$f" "$p" options)
    if [ -z "$expect" ]; then
        echo "FAIL $name: no '$p expect:' line"; fail=$((fail + 1)); continue
    fi
    input=$f
    if [ "${f%.c}" != "$f" ]; then
        cc=$(key "$f" "$p" cc); [ -n "$cc" ] || cc="clang -target bpf"
        cflags=$(key "$f" "$p" cflags)
        input=$objdir/${name%.c}.o
        if ! $cc -O2 $cflags -c "$f" -o "$input" 2>"$objdir/${name%.c}.cc.log"; then
            echo "FAIL $name: the compiler refused it:"; sed 's/^/    /' "$objdir/${name%.c}.cc.log"
            fail=$((fail + 1)); continue
        fi
    fi
    # shellcheck disable=SC2086
    out=$("$femtoc" --verify-only $opts "$input" 2>&1); rc=$?
    if [ "$rc" != 1 ]; then
        echo "FAIL $name: exit status $rc (expected 1); output:"; echo "$out" | sed 's/^/    /'
        fail=$((fail + 1))
    elif ! grep -qF -- "$expect" <<<"$out"; then
        echo "FAIL $name: expected '$expect'; got:"; echo "$out" | sed 's/^/    /'
        fail=$((fail + 1))
    else
        echo "ok   $name: $(grep -F -- "$expect" <<<"$out" | head -1)"
        pass=$((pass + 1))
    fi
done
echo "verify-neg: $pass passed, $fail failed"
[ "$fail" = 0 ]
