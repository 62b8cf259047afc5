# tests/ux/ux-test.sh: three entry points in one program (conformance
# style: assembly, femtoc --entry NAME=INDEX). For the context 01 02 03
# (r2 = 3) each returns its own r0, in every engine:
#   entry a=0 expect 0x72    (3 + 100) + 11
#   entry b=4 expect 0x16    22
#   entry c=6 expect 0x13b   (5 + 100) * 3
# a and c share f, which lies after every entry (each entry runs as the
# program from its own instruction in the interpreter).
mov %r1, %r2
call local f
add %r0, 11
exit
mov %r0, 22
exit
mov %r1, 5
call local f
mul %r0, 3
exit
f: mov %r0, %r1
add %r0, 100
exit
