;; The serving walk of a flattened tree ensemble: the same computation as `sumLeaves` in
;; ensemble.ts, on the same packed layout, for the same reason (four independent walks
;; interleaved). WebAssembly runs it about 1.5 times faster than the JavaScript: its loads carry no
;; bounds checks (the memory's guard pages stand in for them) and no hole checks.
;;
;; `npm run build:wasm` assembles this file into walk-wasm.ts; a test checks that the two agree.
;;
;; The caller lays its arrays out in the imported memory and passes their byte offsets:
;;   roots   i32 per tree (a multiple of four trees)
;;   depths  i32 per group of four trees: the steps the group walks
;;   nodes   i32 per node: bits 0–9 feature, bit 10 missing goes left, bit 11 is a split,
;;           bits 12–30 the distance to the right child (the left child is the next node)
;;   thresholds, values  f64 per node
;;   row     f64 per feature, NaN where missing
(module
  (import "ensemble" "memory" (memory 1))

  (func (export "sumLeaves")
    (param $treeCount i32) (param $roots i32) (param $depths i32) (param $nodes i32)
    (param $thresholds i32) (param $values i32) (param $row i32)
    (result f64)
    (local $tree i32) (local $steps i32) (local $sum f64)
    (local $packed i32) (local $x f64) (local $limit f64)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (block $trees_done
      (loop $trees
        (br_if $trees_done (i32.ge_u (local.get $tree) (local.get $treeCount)))
        (local.set $a (i32.load offset=0 (i32.add (local.get $roots) (i32.shl (local.get $tree) (i32.const 2)))))
        (local.set $b (i32.load offset=4 (i32.add (local.get $roots) (i32.shl (local.get $tree) (i32.const 2)))))
        (local.set $c (i32.load offset=8 (i32.add (local.get $roots) (i32.shl (local.get $tree) (i32.const 2)))))
        (local.set $d (i32.load offset=12 (i32.add (local.get $roots) (i32.shl (local.get $tree) (i32.const 2)))))
        ;; The group's entry is at byte tree / 4 * 4 = tree, as tree is a multiple of four.
        (local.set $steps (i32.load (i32.add (local.get $depths) (local.get $tree))))
        (block $walked
          (loop $walk
            (br_if $walked (i32.eqz (local.get $steps)))
            ;; One level down in each lane, written out four times because V8 does not inline
            ;; WebAssembly calls (a $step function measured 1.6 times slower). Without a branch: right
            ;; when the value is above the threshold, or when it is missing (neither ≤ nor >) and the
            ;; split sends missing values right. A leaf is 0, so it steps by 0 and stays put.
            ;; lane $a
            (local.set $packed (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $a) (i32.const 2)))))
            (local.set $x
              (f64.load (i32.add (local.get $row) (i32.shl (i32.and (local.get $packed) (i32.const 0x3ff)) (i32.const 3)))))
            (local.set $limit (f64.load (i32.add (local.get $thresholds) (i32.shl (local.get $a) (i32.const 3)))))
            (local.set $a
              (i32.add (local.get $a)
                (select
                  (i32.shr_u (local.get $packed) (i32.const 12))
                  (i32.and (i32.shr_u (local.get $packed) (i32.const 11)) (i32.const 1))
                  (i32.or
                    (f64.gt (local.get $x) (local.get $limit))
                    (i32.and
                      (i32.eqz (f64.le (local.get $x) (local.get $limit)))
                      (i32.eqz (i32.and (i32.shr_u (local.get $packed) (i32.const 10)) (i32.const 1))))))))
            ;; lane $b
            (local.set $packed (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $b) (i32.const 2)))))
            (local.set $x
              (f64.load (i32.add (local.get $row) (i32.shl (i32.and (local.get $packed) (i32.const 0x3ff)) (i32.const 3)))))
            (local.set $limit (f64.load (i32.add (local.get $thresholds) (i32.shl (local.get $b) (i32.const 3)))))
            (local.set $b
              (i32.add (local.get $b)
                (select
                  (i32.shr_u (local.get $packed) (i32.const 12))
                  (i32.and (i32.shr_u (local.get $packed) (i32.const 11)) (i32.const 1))
                  (i32.or
                    (f64.gt (local.get $x) (local.get $limit))
                    (i32.and
                      (i32.eqz (f64.le (local.get $x) (local.get $limit)))
                      (i32.eqz (i32.and (i32.shr_u (local.get $packed) (i32.const 10)) (i32.const 1))))))))
            ;; lane $c
            (local.set $packed (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $c) (i32.const 2)))))
            (local.set $x
              (f64.load (i32.add (local.get $row) (i32.shl (i32.and (local.get $packed) (i32.const 0x3ff)) (i32.const 3)))))
            (local.set $limit (f64.load (i32.add (local.get $thresholds) (i32.shl (local.get $c) (i32.const 3)))))
            (local.set $c
              (i32.add (local.get $c)
                (select
                  (i32.shr_u (local.get $packed) (i32.const 12))
                  (i32.and (i32.shr_u (local.get $packed) (i32.const 11)) (i32.const 1))
                  (i32.or
                    (f64.gt (local.get $x) (local.get $limit))
                    (i32.and
                      (i32.eqz (f64.le (local.get $x) (local.get $limit)))
                      (i32.eqz (i32.and (i32.shr_u (local.get $packed) (i32.const 10)) (i32.const 1))))))))
            ;; lane $d
            (local.set $packed (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $d) (i32.const 2)))))
            (local.set $x
              (f64.load (i32.add (local.get $row) (i32.shl (i32.and (local.get $packed) (i32.const 0x3ff)) (i32.const 3)))))
            (local.set $limit (f64.load (i32.add (local.get $thresholds) (i32.shl (local.get $d) (i32.const 3)))))
            (local.set $d
              (i32.add (local.get $d)
                (select
                  (i32.shr_u (local.get $packed) (i32.const 12))
                  (i32.and (i32.shr_u (local.get $packed) (i32.const 11)) (i32.const 1))
                  (i32.or
                    (f64.gt (local.get $x) (local.get $limit))
                    (i32.and
                      (i32.eqz (f64.le (local.get $x) (local.get $limit)))
                      (i32.eqz (i32.and (i32.shr_u (local.get $packed) (i32.const 10)) (i32.const 1))))))))
            (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
            (br $walk)))
        ;; Added in the order the JavaScript adds them, so both give the same bits.
        (local.set $sum
          (f64.add (local.get $sum)
            (f64.add
              (f64.add
                (f64.add
                  (f64.load (i32.add (local.get $values) (i32.shl (local.get $a) (i32.const 3))))
                  (f64.load (i32.add (local.get $values) (i32.shl (local.get $b) (i32.const 3)))))
                (f64.load (i32.add (local.get $values) (i32.shl (local.get $c) (i32.const 3)))))
              (f64.load (i32.add (local.get $values) (i32.shl (local.get $d) (i32.const 3)))))))
        (local.set $tree (i32.add (local.get $tree) (i32.const 4)))
        (br $trees)))
    (local.get $sum))
)
