#!/usr/bin/env bash
# The whole machine's CPU every few seconds, from /proc/stat, until killed: the time, then
# user (with nice), system (with irq and softirq), idle and iowait as shares of all cores.
# Shows whether a rehearsal is bound by the CPU throughout or leaves it idle in a phase
# (iowait is idle time with a flush outstanding).
# Usage: Benchmarks/cpu.sh [interval-seconds=10] > cpu.log & Benchmarks/rehearsal.sh 10000 30 6 2; kill %1
set -euo pipefail
interval=${1:-10}
read_stat() { awk '/^cpu / {print $2 + $3, $4 + $7 + $8, $5, $6}' /proc/stat; }
read -r user system idle iowait < <(read_stat)
while sleep "$interval"; do
  read -r u s i w < <(read_stat)
  du=$((u - user)) ds=$((s - system)) di=$((i - idle)) dw=$((w - iowait))
  all=$((du + ds + di + dw))
  (( all > 0 )) && echo "$(date +%T) user $((100 * du / all))% system $((100 * ds / all))% idle $((100 * di / all))% iowait $((100 * dw / all))%"
  user=$u system=$s idle=$i iowait=$w
done
