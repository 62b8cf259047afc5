# expect: function 'func@0', called from entry 'b', lies before the entry
# options: --entry a=2,b=4
# b's interpreter run starts at its own instruction: what it calls must come after it
f: mov %r0, 7
exit
mov %r0, 1
exit
call local f
exit
