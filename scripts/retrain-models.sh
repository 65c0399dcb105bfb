#!/usr/bin/env bash
# Retrain the shipped networks (issue 29) as one resumable chain: the long SRResNet runs, the grey
# models converted from them, the GANs re-derived from them with the recipes of their cards, each GAN's
# checkpoint chosen on the validation photos, then the study's Table 1, its spectra and montages.
#
#   scripts/retrain-models.sh [--runs DIR] [--data DIR] [--stages LIST] [--sitting MINUTES] [--quick]
#
# Stages (default: all, in this order): srresnet-x4 srresnet-x2 gray-x4 gray-x2 srgan-x4 srgan-x2
# fftgan-x4 rgan-x4 table1 consistency report. A stage whose shipped file RUNS/models/NAME.zip exists is skipped;
# a training that was stopped (Ctrl-C, kill, a lost session) resumes from its checkpoint when the
# chain is run again. Nothing is written to models/: the report stage compares each new model with
# the one in models/ on the validation photos and prints the cp commands for those that beat it.
# --sitting MINUTES: the SRResNet runs stop (checkpoint saved) after that long and ship what they reached;
# the next sitting resumes the checkpoint or, on a machine without it, fine-tunes the model in models/
# (their schedules count the steps of the model's whole lineage, its card's total_steps).
# Runs as many threads as OMP_NUM_THREADS allows (one each for two chains side by side is the fastest
# use of 2 cores). --quick: a few steps per stage, scored on data/val only, into RUNS/quick (a test of
# the chain, minutes not days). Needs data/ from scripts/fetch-training-data.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="$ROOT/runs/retrain" DATA="$ROOT/data" QUICK=0 SITTING=0
STAGES="srresnet-x4 srresnet-x2 gray-x4 gray-x2 srgan-x4 srgan-x2 fftgan-x4 rgan-x4 table1 consistency report"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --stages) STAGES="${2//,/ }"; shift 2 ;;
    --sitting) SITTING="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "retrain-models: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for d in train val; do
  [ -d "$DATA/$d" ] || { echo "retrain-models: no folder $DATA/$d: run scripts/fetch-training-data.sh first" >&2; exit 1; }
done
[ "$QUICK" = 1 ] && RUNS="$RUNS/quick"
mkdir -p "$RUNS/models"
SR="$ROOT/bin/super-resolve"
# the new models come first on the search path: the GANs start from the new SRResNets by name
export SUPER_RESOLVE_MODELS="$RUNS/models"
# build first (bin/super-resolve builds on first use or after a change), so that the sitting is training time
"$SR" help >/dev/null
# the sitting's end (seconds since the epoch), 0 for none
DEADLINE=0; [ "$SITTING" -gt 0 ] 2>/dev/null && DEADLINE=$(( $(date +%s) + SITTING * 60 ))
STOPPED=0  # set when a training was stopped by the sitting's end
log() { printf '%s retrain-models: %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$RUNS/chain.log" >&2; }

# steps N: N in a full run, a few in --quick
steps() { if [ "$QUICK" = 1 ]; then echo "$2"; else echo "$1"; fi; }
MEASURE="$DATA/val"; [ "$QUICK" = 0 ] && for d in test gray; do [ -d "$DATA/$d" ] && MEASURE="$MEASURE,$DATA/$d"; done

# the step a run's checkpoint reached (0 without one)
checkpoint_step() {
  local ck="$1.checkpoint.zip"
  [ -f "$ck" ] || { echo 0; return; }
  unzip -p "$ck" trainer-state.json | tr -d ' \n' | sed -n 's/.*"step":\([0-9]*\).*/\1/p'
}

# the steps behind the model a run started from (its checkpoint's base_steps; 0 without one)
checkpoint_base() {
  local ck="$1.checkpoint.zip"
  [ -f "$ck" ] || { echo 0; return; }
  unzip -p "$ck" trainer-state.json | tr -d ' \n' | sed -n 's/.*"base_steps":\([0-9]*\).*/\1/p'
}

# runtrain ARGS...: one train call, stopped (checkpoint saved: SIGTERM finishes the step) at the sitting's end
runtrain() {
  if [ "$DEADLINE" -gt 0 ]; then
    local left=$(( DEADLINE - $(date +%s) )) rc=0
    [ "$left" -gt 0 ] || { STOPPED=1; return 0; }
    timeout -s TERM -k 900 "$left" "$SR" train "$@" || rc=$?
    if [ "$rc" = 124 ] || [ "$rc" = 143 ]; then STOPPED=1; return 0; fi
    return "$rc"
  fi
  "$SR" train "$@"
}

# train NAME SEGMENTS ARGS...: one run in segments "STEPS:LR[:PATCH[:skip]] ..." (each to a total step count at
# its own learning rate and crop size, flat crops drawn again where it says skip, Adam's moments carried over),
# resumed from its checkpoint wherever it stopped
train() {
  local name="$1" segments="$2"; shift 2
  local run="$RUNS/$name" seg to lr patch flat fl at first=1
  for seg in $segments; do
    IFS=: read -r to lr patch flat <<<"$seg"
    patch="${patch:-96}"
    at="$(checkpoint_step "$run")"
    if [ "$at" -ge "$to" ]; then first=0; continue; fi
    fl="--skip-flat-patches=$([ "$flat" = skip ] && echo true || echo false)"
    log "$name: steps $at..$to at lr $lr, crops of $patch${flat:+, flat ones skipped}"
    if [ "$at" -gt 0 ]; then  # a resumed run continues its checkpoint's network: without --from
      local rest=() skip=0 x
      for x in "$@"; do
        if [ "$skip" = 1 ]; then skip=0; elif [ "$x" = --from ]; then skip=1; else rest+=("$x"); fi
      done
      runtrain --out "$run.zip" --resume --steps "$to" --lr "$lr" --patch "$patch" "$fl" "${rest[@]}" >>"$run.out" 2>&1
    elif [ "$first" = 1 ]; then
      runtrain --out "$run.zip" --steps "$to" --lr "$lr" --patch "$patch" "$fl" "$@" >>"$run.out" 2>&1
    else
      echo "retrain-models: $run.checkpoint.zip is missing: cannot continue $name at segment $seg" >&2; exit 1
    fi
    first=0
    if [ "$STOPPED" = 1 ]; then log "$name: stopped at the sitting's end (step $(checkpoint_step "$run")); run the chain again to continue"; return 0; fi
  done
  return 0
}

# ship NAME RUNFILE NOTE: the model with its card scored on the validation (and test, grey) photos
# (SHIP_ARGS: more options for models ship, e.g. --mantissa-bits 10 for rgan-x4, whose two float32 stages
# take 10.4 MB where a committed model may take 10)
ship() {
  log "ship $1 from $(basename "$2")"
  # shellcheck disable=SC2086
  "$SR" models ship "$2" --out "$RUNS/models/$1.zip" --name "$1" --measure "$MEASURE" --note "$3" --overwrite ${SHIP_ARGS:-} >>"$RUNS/ship.out" 2>&1
}

# choose RUN SCALE REFERENCE [FLOOR]: among RUN-stepN.zip, the highest fine detail (HF) on the validation
# photos among those with at least FLOOR dB there (the replaced GAN's validation PSNR, so that the new
# model beats it on both); without FLOOR, or when no checkpoint reaches it, the highest HF within 1.0 dB
# of REFERENCE's PSNR (the first GAN cards' rule). Prints "FILE PSNR HF REF_PSNR REF_HF"
choose() {
  local run="$1" scale="$2" ref="$3" floor="${4:-}" f csv best="" ref_psnr ref_hf line
  csv="$RUNS/choose-$(basename "$run").csv"
  "$SR" compare --hr-dir "$DATA/val" --scale "$scale" --methods "$ref" --spectrum --csv "$csv.ref" >/dev/null 2>>"$RUNS/choose.err"
  line="$(grep '^mean,' "$csv.ref" | tail -1)"
  ref_psnr="$(echo "$line" | cut -d, -f5)" ref_hf="$(echo "$line" | cut -d, -f9)"
  : >"$csv"
  for f in $(ls "$run"-step*.zip | sort -V); do
    "$SR" compare --hr-dir "$DATA/val" --scale "$scale" --methods "$f" --spectrum --csv "$csv.one" >/dev/null 2>>"$RUNS/choose.err"
    line="$(grep '^mean,' "$csv.one" | tail -1)"
    echo "$(basename "$f"),$(echo "$line" | cut -d, -f5),$(echo "$line" | cut -d, -f9)" >>"$csv"
  done
  rm -f "$csv.one" "$csv.ref"
  [ -n "$floor" ] && best="$(awk -F, -v p="$floor" '$2 >= p && $3 > hf { hf = $3; b = $0 } END { print b }' "$csv")"
  [ -n "$best" ] || best="$(awk -F, -v p="$ref_psnr" '$2 >= p - 1.0 && $3 > hf { hf = $3; b = $0 } END { print b }' "$csv")"
  [ -n "$best" ] || { echo "retrain-models: no checkpoint of $run is within 1.0 dB of $ref ($ref_psnr dB); see $csv" >&2; exit 1; }
  log "choose $(basename "$run"): $best (reference $ref: $ref_psnr dB, HF $ref_hf; all in $csv)"
  echo "$RUNS/${best%%,*} $(echo "$best" | cut -d, -f2) $(echo "$best" | cut -d, -f3) $ref_psnr $ref_hf"
}

COMMON=(--hr-dir "$DATA/train" --val-dir "$DATA/val" --engine eager --checkpoint-every "$(steps 250 2)"
        --validate-every "$(steps 1000 2)" --seed 1)

stage_srresnet() {  # scale: fine-tunes the model in models/ on a schedule of lineage steps, ten times the steps of 2026-11's models or more
  local s="$1" segs="" lineage seg to lr rest first
  [ -f "$RUNS/srresnet-x$s-long.done" ] && return
  # the schedule, in steps of the model's whole lineage (its card's total_steps; 2026-11's srresnet-x4 had
  # 3,264, srresnet-x2 510 at x2 on a x4 trunk of 2,690): Adam 1e-4, halved where validation went flat in
  # the runs of docs/training.md ("The long runs"); flat crops drawn again throughout ("What the training
  # crops hold"). A run on a new machine fine-tunes the model in models/, whose card says where it stands.
  if [ "$s" = 4 ]; then lineage_segs="10000:1e-4:96:skip 15000:5e-5:96:skip 36000:2.5e-5:96:skip"
  else lineage_segs="4500:1e-4:96:skip 36000:5e-5:96:skip"; fi
  if [ -f "$RUNS/srresnet-x$s-long.checkpoint.zip" ]; then lineage="$(checkpoint_base "$RUNS/srresnet-x$s-long")"
  else lineage="$(card "$ROOT/models/srresnet-x$s.zip" total_steps)"; [ -n "$lineage" ] || lineage="$(card "$ROOT/models/srresnet-x$s.zip" steps)"; fi
  lineage="${lineage:-0}"
  for seg in $lineage_segs; do  # to run steps: what lies beyond the starting model's lineage
    IFS=: read -r to rest <<<"$seg"
    [ "$to" -gt "$lineage" ] || continue
    if [ "$QUICK" = 1 ]; then to=$(( ${first:-0} + 2 )); first="$to"; else to=$(( to - lineage )); fi
    segs="$segs $to:$rest"
  done
  segs="${segs# }"
  [ -n "$segs" ] || { log "srresnet-x$s: models/srresnet-x$s.zip is at lineage step $lineage, past the schedule"; touch "$RUNS/srresnet-x$s-long.done"; return; }
  STOPPED=0
  train "srresnet-x$s-long" "$segs" "${COMMON[@]}" --scale "$s" --from "$ROOT/models/srresnet-x$s.zip"
  [ "$STOPPED" = 1 ] || touch "$RUNS/srresnet-x$s-long.done"
  [ -f "$RUNS/srresnet-x$s-long.zip" ] || { log "srresnet-x$s: stopped before its first checkpoint, nothing to ship"; return; }
  ship "srresnet-x$s" "$RUNS/srresnet-x$s-long.zip" "Fine-tuned from the srresnet-x$s of models/ (lineage step $lineage) on the schedule $lineage_segs (total lineage steps:learning rate:crop side:skip, flat crops drawn again; run steps $segs), Adam's moments carried over within a sitting and reset with the default 100-step warm-up across machines, batch 16, one thread (scripts/retrain-models.sh)$([ "$STOPPED" = 1 ] && echo "; stopped at the sitting's end at run step $(checkpoint_step "$RUNS/srresnet-x$s-long")")"
}

stage_gray() {  # scale: the new RGB model converted to luminance, then fine-tuned ten times as long as before
  local s="$1" n
  [ -f "$RUNS/models/srresnet-x$s-gray.zip" ] && return
  [ -f "$RUNS/models/srresnet-x$s.zip" ] || { echo "retrain-models: gray-x$s needs the new srresnet-x$s (stage srresnet-x$s)" >&2; exit 1; }
  # the grey x4 run skipped flat crops from step 1,815 (as measured then); x2's from the start
  if [ "$s" = 4 ]; then n="$(steps 1815 1):1e-4 $(steps 5200 2):1e-4:96:skip"; else n="$(steps 2500 2):1e-4:96:skip"; fi
  train "srresnet-x$s-gray-run" "$n" "${COMMON[@]}" --scale "$s" --channels 1 --from "$RUNS/models/srresnet-x$s.zip"
  if [ "$STOPPED" = 1 ]; then return 0; fi  # the sitting ended: the next one resumes it
  ship "srresnet-x$s-gray" "$RUNS/srresnet-x$s-gray-run.zip" "Started from the new srresnet-x$s (RGB to grey: summed input weights, luminance output convolution: nn.ParameterTransfer), then fine-tuned on luminance crops with Adam 1e-4, schedule $n (total steps:learning rate[:crop side[:skip flat crops]]; scripts/retrain-models.sh)"
}

# gan NAME SCALE STEPS EVERY ARGS...: kept checkpoints every EVERY steps, the one chosen on the validation photos shipped
gan() {
  local name="$1" s="$2" n="$3" every="$4" ref="srresnet-x$2" pick floor rule; shift 4
  [ -f "$RUNS/models/$name.zip" ] && return
  [ -f "$RUNS/models/$ref.zip" ] || { echo "retrain-models: $name needs the new $ref (stage $ref)" >&2; exit 1; }
  train "$name-run" "$n:${LR:-1e-4}" --hr-dir "$DATA/train" --val-dir "$DATA/val" --engine eager --seed 1 --scale "$s" \
      --checkpoint-every "$every" --keep-checkpoints "$@"
  if [ "$STOPPED" = 1 ]; then return 0; fi
  floor="$(card "$ROOT/models/$name.zip" val_psnr)"
  pick="$(choose "$RUNS/$name-run" "$s" "$ref" "$floor")"
  set -- $pick
  if [ -n "$floor" ] && awk -v a="$2" -v b="$floor" 'BEGIN { exit !(a >= b) }'; then
    rule="the highest HF among those with at least the replaced $name's PSNR ($floor dB)"
  else rule="the highest HF within 1.0 dB of $ref"; fi
  ship "$name" "$1" "Re-derived from the new $ref with: $(tr '\n' ' ' < "$RUNS/$name.args"). Checkpoint chosen on the validation photos as $rule ($ref: $4 dB, HF $5): $(basename "$1"), $2 dB, HF $3 (all in choose-$name-run.csv; scripts/retrain-models.sh)"
}

card() {  # FILE KEY: a number from a model card's metrics (empty when absent)
  [ -f "$1" ] && unzip -p "$1" model-card.json | tr -d ' \n' | sed -n "s/.*\"$2\":\([-0-9.eE]*\).*/\1/p"
  return 0
}

gan_args() {  # NAME ARGS...: records the recipe for the card's note
  local name="$1"; shift
  echo "$*" >"$RUNS/$name.args"
}

for stage in $STAGES; do
  case "$stage" in
    srresnet-x4) stage_srresnet 4 ;;
    srresnet-x2) stage_srresnet 2 ;;
    gray-x4) stage_gray 4 ;;
    gray-x2) stage_gray 2 ;;
    srgan-x4)  # the cards' recipe: relativistic loss against highpass-strong, warm-up 10, ramp 10
      a=(--method srgan --from srresnet-x4 --discriminator highpass-strong --adversarial-loss relativistic --disc-warmup "$(steps 10 2)"
         --disc-lr 1e-3 --adversarial-weight 1e-4 --adversarial-ramp "$(steps 10 2)")
      gan_args srgan-x4 "${a[@]}"; gan srgan-x4 4 "$(steps 60 4)" "$(steps 5 2)" "${a[@]}" ;;
    srgan-x2)
      a=(--method srgan --from srresnet-x2 --discriminator highpass-strong --adversarial-loss relativistic --disc-warmup "$(steps 10 2)"
         --disc-lr 1e-3 --adversarial-weight 3e-5 --adversarial-ramp "$(steps 10 2)")
      gan_args srgan-x2 "${a[@]}"; gan srgan-x2 2 "$(steps 60 4)" "$(steps 5 2)" "${a[@]}" ;;
    fftgan-x4)  # fixed-DFT discriminator, Adam 2e-4 for both networks
      a=(--method fftgan --from srresnet-x4 --adversarial-weight 1e-4)
      gan_args fftgan-x4 "${a[@]}"; LR=2e-4 gan fftgan-x4 4 "$(steps 400 4)" "$(steps 50 2)" "${a[@]}" ;;
    rgan-x4)  # stage 1 = the new srresnet-x2, stage 2 trained on its outputs against the conv discriminator
      a=(--method rgan --from srresnet-x2 --discriminator conv --adversarial-weight 1e-4)
      gan_args rgan-x4 "${a[@]}"
      [ -f "$RUNS/models/srresnet-x2.zip" ] || { echo "retrain-models: rgan-x4 needs the new srresnet-x2" >&2; exit 1; }
      LR=2e-4 SHIP_ARGS="--mantissa-bits 10" gan rgan-x4 4 "$(steps 200 4)" "$(steps 25 2)" "${a[@]}" ;;
    table1)
      t="$DATA/test"; [ "$QUICK" = 1 ] && t="$DATA/val"
      log "table1 on $t"
      "$ROOT/benchmarks/table1.sh" --hr-dir "$t" --out "$RUNS/table1" >"$RUNS/table1.out" 2>&1
      cat "$RUNS"/table1/table1_x2.md "$RUNS"/table1/table1_x4.md >"$RUNS/table1/table1.md"
      PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3  # Debian's, with python3-matplotlib
      "$PY" "$ROOT/benchmarks/plot_spectra.py" "$RUNS/table1/table1.md" "$RUNS/table1/gan-spectra.png" >>"$RUNS/table1.out" 2>&1 \
        || log "table1: the spectra plot failed (python3-matplotlib?), see $RUNS/table1.out" ;;
    consistency)  # the README's consistency tables (every model on the validation photos) and figure
      log "consistency on $DATA/val"
      "$SR" compare --hr-dir "$DATA/val" --scale 2 --methods bicubic,lanczos,srresnet-x2,srgan-x2,rgan-x4 \
          --csv "$RUNS/consistency-x2.csv" >"$RUNS/consistency-x2.md" 2>>"$RUNS/consistency.err"
      "$SR" compare --hr-dir "$DATA/val" --scale 4 --methods bicubic,lanczos,srresnet-x4,srgan-x4,fftgan-x4,rgan-x4 \
          --csv "$RUNS/consistency-x4.csv" >"$RUNS/consistency-x4.md" 2>>"$RUNS/consistency.err"
      "$SR" compare --hr-dir "$DATA/val" --scale 2,4 --channels 1 --methods bicubic,lanczos,srresnet-x2-gray,srresnet-x4-gray \
          --csv "$RUNS/consistency-gray.csv" >"$RUNS/consistency-gray.md" 2>>"$RUNS/consistency.err"
      DATA_DIR="$DATA" "$ROOT/scripts/consistency-figure.sh" "$RUNS/consistency-figure.png" >"$RUNS/consistency-figure.md" 2>>"$RUNS/consistency.err" ;;
    report)
      log "report: each new model against the one in models/ on the validation photos"
      for f in "$RUNS"/models/*.zip; do
        [ -f "$f" ] || { echo "  no new model in $RUNS/models" | tee -a "$RUNS/chain.log" >&2; break; }
        n="$(basename "$f" .zip)"
        case "$n" in
          srresnet-*)  # better = a larger PSNR gain over bicubic
            new="$(card "$f" val_psnr_gain_over_bicubic_db)" old="$(card "$ROOT/models/$n.zip" val_psnr_gain_over_bicubic_db)"
            line="$(printf '%-18s gain over bicubic %+.2f dB (models/: %s)' "$n" "$new" "${old:--}")"
            better="$(awk -v a="$new" -v b="${old:--99}" 'BEGIN { print (a > b) }')" ;;
          *)  # a GAN: the trade against its new SRResNet on the held-out photos (validation in --quick): fine detail
              # (HF) >= 1.5x, within 1.5 dB, above bicubic; better = that, and more PSNR than the GAN in models/
            s="${n##*-}" ref="$RUNS/models/srresnet-$s.zip" k=test; [ -n "$(card "$f" test_psnr)" ] || k=val
            p="$(card "$f" ${k}_psnr)" h="$(card "$f" ${k}_hf)" b="$(card "$f" ${k}_bicubic_psnr)" old="$(card "$ROOT/models/$n.zip" ${k}_psnr)"
            rp="$(card "$ref" ${k}_psnr)" rh="$(card "$ref" ${k}_hf)"
            line="$(printf '%-18s %s: %.2f dB (models/: %s), HF %s; srresnet-%s %.2f dB, HF %s; bicubic %.2f' "$n" "$k" "$p" "${old:--}" "$h" "$s" "$rp" "$rh" "$b")"
            better="$(awk -v p="$p" -v h="$h" -v b="$b" -v rp="$rp" -v rh="$rh" -v o="${old:-0}" \
              'BEGIN { print (h >= 1.5 * rh && p >= rp - 1.5 && p > b && p > o) }')" ;;
        esac
        if [ "$better" = 1 ]; then line="$line: better, cp $f $ROOT/models/$n.zip"; else line="$line: keep models/$n.zip"; fi
        echo "  $line" | tee -a "$RUNS/chain.log" >&2
      done ;;
    *) echo "retrain-models: unknown stage $stage (see --help)" >&2; exit 2 ;;
  esac
done
log "done: $STAGES"
