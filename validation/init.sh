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
# record.mjs --lru-gen: the multi-gen LRU off (0) or on (y), where the kernel has it (6.1+ with CONFIG_LRU_GEN).
if [ -n "$LRU_GEN" ]; then echo "$LRU_GEN" > /sys/kernel/mm/lru_gen/enabled || echo "@@error lru_gen $LRU_GEN"; fi
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
echo "@@sys swap_rotational $(cat /sys/block/vda/queue/rotational)"
# The swap disk's I/O scheduler ("[mq-deadline] none": the bracketed one is in use).
echo "@@sys swap_scheduler $(cat /sys/block/vda/queue/scheduler)"
grep -E '^Node|^ +(min|low|high|managed|present) ' /proc/zoneinfo | tr -s ' ' | sed 's/^/@@zoneinfo /'
T=/sys/kernel/debug/tracing
if [ "$SCHED_TRACE" = 1 ]; then
  # record.mjs --sched-trace (diagnostic, never for references): ftrace of the
  # shrink worker's wait; see docs/validation.md, "Measured: the shrink worker's wait".
  tw() { echo "@@trace-warn $*"; }
  echo 0 > $T/tracing_on
  echo "$TRACE_BUFFER_KB" > $T/buffer_size_kb || tw "buffer_size_kb $TRACE_BUFFER_KB"
  # TRACE_KEEP first: stop when the buffer is full (the run's start); last: overwrite (its end).
  if [ "$TRACE_KEEP" = last ]; then echo 1 > $T/options/overwrite; else echo 0 > $T/options/overwrite; fi
  if [ "$ONLY_KPROBES" != 1 ]; then
    echo 'r:zsstore zswap_frontswap_store ret=$retval:s32' >> $T/kprobe_events || tw "kretprobe zswap_frontswap_store"
    echo 'p:qwork queue_work_on wq=$arg2:x64 work=$arg3:x64 shwq=@shrink_wq:x64' >> $T/kprobe_events || tw "kprobe queue_work_on"
    # record.mjs --events: only these tracepoints (SUBSYS/EVENT) instead of the scheduling set.
    EV="kprobes/zsstore kprobes/qwork workqueue/workqueue_queue_work workqueue/workqueue_execute_start
        sched/sched_wakeup sched/sched_switch vmscan/mm_vmscan_kswapd_wake
        vmscan/mm_vmscan_kswapd_sleep vmscan/mm_vmscan_direct_reclaim_begin vmscan/mm_vmscan_direct_reclaim_end
        vmscan/mm_vmscan_lru_shrink_inactive"
    [ -n "$EVENTS" ] && EV="$EVENTS"
    for e in $EV; do
      # record.mjs --event-filter: one ftrace filter for each of --events' tracepoints.
      [ -n "$EVENT_FILTER" ] && { echo "$EVENT_FILTER" > $T/events/$e/filter || tw "filter $e"; }
      echo 1 > $T/events/$e/enable || tw "enable $e"
    done
    echo 'workqueue == "zswap-shrink"' > $T/events/workqueue/workqueue_queue_work/filter || tw "filter workqueue_queue_work"
  fi
  # record.mjs --kprobe: probes given as kprobe_events lines, arguments and all (';' between them).
  echo "$KPROBE_DEFS" | tr ';' '\n' | while read -r d; do
    [ -n "$d" ] || continue
    n=${d#?:}; n=${n%% *}
    echo "$d" >> $T/kprobe_events && echo 1 > $T/events/kprobes/$n/enable || tw "kprobe $d: $(tail -n 2 $T/error_log | tr '\n' ' ')"
    echo "@@trace kprobe $(grep -w "$n" $T/kprobe_events)"
  done
  for f in $KPROBES; do
    # record.mjs --kprobes: each call's entry and return (in_F, out_F), to time it.
    echo "p:in_$f $f" >> $T/kprobe_events && echo "r:out_$f $f" >> $T/kprobe_events || tw "kprobe $f"
    echo 1 > $T/events/kprobes/in_$f/enable && echo 1 > $T/events/kprobes/out_$f/enable || tw "enable kprobe $f"
  done
  if [ -n "$GRAPH_FUNCS" ]; then
    # record.mjs --graph: the function-graph tracer under these functions (call times, with
    # the events above as comments), to GRAPH_DEPTH levels, with absolute times and tasks.
    echo "$GRAPH_FUNCS" > $T/set_graph_function || tw "set_graph_function $GRAPH_FUNCS"
    echo "$GRAPH_DEPTH" > $T/max_graph_depth || tw "max_graph_depth"
    echo function_graph > $T/current_tracer || tw "function_graph"
    for o in funcgraph-abstime funcgraph-proc; do echo 1 > $T/options/$o || tw "option $o"; done
  fi
  echo "@@trace buffer_size_kb $(cat $T/buffer_size_kb)"
  grep -wE 'zswap_frontswap_store|shrink_worker|queue_work_on|shrink_wq' /proc/kallsyms | sed 's/^[0-9a-f]* /@@trace kallsyms /'
  export TMEMSIM_TRACE_MARKS=1
  echo 1 > $T/tracing_on
fi
echo "@@begin"
/workload run $SEED $OPS
echo "@@exit $?"
if [ "$SCHED_TRACE" = 1 ]; then
  echo 0 > $T/tracing_on
  sed 's/^/@@tracestat /' $T/per_cpu/cpu0/stats
  cat $T/trace > /dev/vdc || tw "trace to /dev/vdc"
fi
sync
poweroff -f
