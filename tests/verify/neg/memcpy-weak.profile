# a profile that misdescribes a known helper: femtoc keeps memcpy's own signature
helper 0x02 memcpy any any scalar
