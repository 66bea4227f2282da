#!/bin/sh
# /init of the validation guest (busybox). The case comes in /case.env
# (appended to the initramfs by validation/record.mjs).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
. /case.env
for m in $(cat /modules.order); do insmod /modules/$m.ko || echo "@@error insmod $m"; done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
echo never > /sys/kernel/mm/transparent_hugepage/enabled
Z=/sys/module/zswap/parameters
if [ "$ZSWAP_ENABLED" = Y ]; then
  echo "$ZSWAP_ZPOOL" > $Z/zpool || echo "@@error zpool $ZSWAP_ZPOOL"
  echo "$ZSWAP_COMPRESSOR" > $Z/compressor || echo "@@error compressor $ZSWAP_COMPRESSOR"
  echo "$ZSWAP_MAX_POOL_PERCENT" > $Z/max_pool_percent
  echo "$ZSWAP_ACCEPT_THRESHOLD_PERCENT" > $Z/accept_threshold_percent
  echo Y > $Z/enabled
else
  echo N > $Z/enabled
fi
mkswap /dev/vda > /dev/null && swapon /dev/vda || echo "@@error swapon"
echo "@@header uname_r $(uname -r)"
echo "@@header uname_v $(uname -v)"
for p in $Z/*; do echo "@@param $(basename $p) $(cat $p)"; done
for s in swappiness page-cluster min_free_kbytes watermark_scale_factor watermark_boost_factor overcommit_memory; do
  echo "@@sysctl $s $(cat /proc/sys/vm/$s)"
done
echo "@@sys thp $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
[ -e /sys/kernel/mm/lru_gen/enabled ] && echo "@@sys lru_gen $(cat /sys/kernel/mm/lru_gen/enabled)"
echo "@@sys swaps $(tail -n +2 /proc/swaps | tr -s ' ' | tr '\t' ' ')"
echo "@@sys data_pages $(($(cat /sys/block/vdb/size) / 8))"
echo "@@sys ra_kb $(cat /sys/block/vdb/queue/read_ahead_kb)"
grep -E '^Node|^ +(min|low|high|managed|present) ' /proc/zoneinfo | tr -s ' ' | sed 's/^/@@zoneinfo /'
echo "@@begin"
/workload run $SEED $OPS
echo "@@exit $?"
sync
poweroff -f
