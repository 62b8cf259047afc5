# expect: lddw refers to .bss, but the program has no .bss section
lddw %r1, .bss+0
mov %r0, 0
exit
