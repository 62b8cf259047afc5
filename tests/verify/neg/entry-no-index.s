# expect: --entry a: this input has no symbols: give NAME=INDEX
# options: --entry a
mov %r0, 1
exit
