# cistern — helpers for the map and wizard tests (after lib.tcl): real
# loop devices, parted as the independent reader of a disk, the map
# pane read back from the screen, key counting.

# A loop device over a new sparse file of SIZE; detached at exit (its
# partitions first: without partscan the kernel keeps them).
proc loop_new {name size} {
	global T
	exec truncate -s $size $T/$name
	set dev [exec losetup -f --show $T/$name]
	on_exit [list catch [list exec losetup -d $dev]]
	on_exit [list catch [list exec partx -d $dev]]
	return $dev
}

# parted's view of a disk: {kind start end} per line, in disk order, free
# regions and partitions (inclusive ends made exclusive).
proc parted_view {dev} {
	set out {}
	set lines [split [exec parted -m -s $dev unit B print free] "\n"]
	foreach l [lrange $lines 2 end] {
		set f [split [string trimright $l ";"] ":"]
		if {[llength $f] < 5} continue
		set s [string trimright [lindex $f 1] B]
		set e [expr {[string trimright [lindex $f 2] B] + 1}]
		set kind [expr {[string match free* [lindex $f 4]] ? "free" : "part"}]
		lappend out [list $kind $s $e]
	}
	return $out
}

# parted's view without the free gaps no partition fits in once its start
# is aligned to 1 MiB: the map leaves those out.
proc parted_usable_view {dev} {
	set mib [expr {1 << 20}]
	set out {}
	foreach v [parted_view $dev] {
		lassign $v kind s e
		set as [expr {($s + $mib - 1) / $mib * $mib}]
		if {$kind eq "free" && $e - $as < $mib} continue
		lappend out $v
	}
	return $out
}

# The bar rows of the map pane on the screen (cells only), in order.
proc map_rows {cols {s {}}} {
	if {$s eq ""} {
		set s [screen]
	}
	set lines [split $s "\n"]
	set i 0
	foreach l $lines {
		if {[regexp {^. Map of} $l]} break
		incr i
	}
	set rows {}
	for {set k [expr {$i + 2}]} {$k < [llength $lines]} {incr k} {
		set l [lindex $lines $k]
		set c1 [string index $l 1]
		set c2 [string index $l 2]
		if {[string length $l] < 3 || ($c1 ne "\[" && $c1 ne " ") ||
		    $c2 eq " "} {
			break
		}
		lappend rows [string range $l 2 [expr {$cols - 2}]]
	}
	return $rows
}

# The blocks of a map's cells: {kind width} each, split at boundaries.
proc map_blocks {rows} {
	set stream [join $rows ""]
	set end [string first "\]" $stream]
	if {$end >= 0} {
		set stream [string range $stream 0 [expr {$end - 1}]]
	}
	set stream [string trimright $stream]
	set blocks {}
	set cur ""
	foreach ch [split $stream ""] {
		if {($ch eq "|" || $ch eq "\{" || $ch eq "\}") && $cur ne ""} {
			lappend blocks $cur
			set cur ""
		}
		append cur $ch
	}
	if {$cur ne ""} {
		lappend blocks $cur
	}
	set out {}
	foreach b $blocks {
		set free [expr {[string first "░" $b] >= 0 || [string first ":" $b] >= 0}]
		lappend out [list [expr {$free ? "free" : "part"}] [string length $b]]
	}
	return [list [string length $stream] $out]
}

# What each block's width must be: at least `minw` cells, the others in
# proportion to their size over the cells the small ones leave; returns
# {fixed share} per block (share is a real number of cells).
proc map_shares {sizes cells minw} {
	set n [llength $sizes]
	set fixed [lrepeat $n 0]
	set moved 1
	while {$moved} {
		set moved 0
		set rest $cells
		set total 0
		for {set i 0} {$i < $n} {incr i} {
			if {[lindex $fixed $i]} {
				incr rest -$minw
			} else {
				set total [expr {$total + [lindex $sizes $i]}]
			}
		}
		for {set i 0} {$i < $n} {incr i} {
			if {![lindex $fixed $i] &&
			    [lindex $sizes $i] * double($rest) / $total < $minw} {
				lset fixed $i 1
				set moved 1
			}
		}
	}
	set out {}
	for {set i 0} {$i < $n} {incr i} {
		if {[lindex $fixed $i]} {
			lappend out [list 1 $minw]
		} else {
			lappend out [list 0 [expr {[lindex $sizes $i] * double($rest) / $total}]]
		}
	}
	return $out
}

# Compare the map on the screen with parted's view of DEV (its usable
# free extents): the same blocks in the same order, each within one cell
# of its share.
proc map_check {name dev cols} {
	set view [parted_usable_view $dev]
	set rows [map_rows $cols]
	lassign [map_blocks $rows] cells blocks
	set kinds {}
	set sizes {}
	foreach v $view {
		lappend kinds [lindex $v 0]
		lappend sizes [expr {[lindex $v 2] - [lindex $v 1]}]
	}
	set got {}
	foreach b $blocks {
		lappend got [lindex $b 0]
	}
	if {$got ne $kinds} {
		fail "$name: block order" "screen [llength $got] blocks: $got; parted [llength $kinds]: $kinds"
		show_screen
		return
	}
	ok "$name: [llength $kinds] blocks in parted's order"
	# the minimum is 2 cells, 1 when even that does not fit
	set minw 2
	set total 0
	foreach s $sizes {
		set total [expr {$total + $s}]
	}
	if {2 * [llength $sizes] > $cells} {
		set minw 1
	}
	set shares [map_shares $sizes $cells $minw]
	set worst 0.0
	set bad ""
	for {set i 0} {$i < [llength $blocks]} {incr i} {
		set w [lindex $blocks $i 1]
		lassign [lindex $shares $i] fx share
		set d [expr {abs($w - $share)}]
		if {$fx && $w != $minw} {
			set bad "block $i: $w cells, the minimum is $minw"
		} elseif {!$fx && $d > 1.0 + 1e-6 && $bad eq ""} {
			set bad "block $i: $w cells for a share of [format %.2f $share]"
		}
		if {!$fx && $d > $worst} {
			set worst $d
		}
	}
	if {$bad eq ""} {
		ok "$name: every block within one cell of its share (worst [format %.2f $worst], $cells cells in [llength $rows] rows)"
	} else {
		fail "$name: proportions" $bad
		show_screen
	}
}

# How many keys a key list sends (typed text counts as none).
proc key_count {keylist} {
	return [llength $keylist]
}

source [file dirname [info script]]/wizard_keys.tcl

# Drive a recorded key sequence (wizard_keys.tcl) with the test's values
# for @WORD@; returns the keystrokes sent (typed text and waits are
# none), or -1 when a wait timed out.
proc wizard_drive {seq values {timeout 10000}} {
	set n 0
	foreach k $seq {
		set k [string map $values $k]
		if {[llength $k] == 2 && [lindex $k 0] eq "type"} {
			type [lindex $k 1]
		} elseif {[llength $k] == 2 && [lindex $k 0] eq "wait"} {
			if {![wait_for [lindex $k 1] $timeout]} {
				puts "    (waiting for /[lindex $k 1]/ after $n keys)"
				show_screen
				return -1
			}
		} else {
			foreach one $k {
				keys $one
				incr n
			}
		}
	}
	return $n
}

# A private iSCSI target (tgtd) on 127.0.0.1 with a free port and a
# control port of its own; stopped at exit (tgtd ignores SIGTERM: its
# targets are deleted, then the system). Sets ::tgt(port), ::tgt(ctl).
proc tgt_start {} {
	global T tgt
	for {set try 0} {$try < 8} {incr try} {
		set port [expr {20000 + int(rand() * 30000)}]
		set ctl [expr {1000 + int(rand() * 30000)}]
		if {[catch {exec ss -Hltn "sport = :$port"} o] == 0 && $o ne ""} {
			continue
		}
		if {[file exists /var/run/tgtd/socket.$ctl]} {
			continue
		}
		set pid [exec tgtd -f -C $ctl --iscsi portal=127.0.0.1:$port \
			>$T/tgtd.log 2>@1 &]
		for {set i 0} {$i < 100} {incr i} {
			if {[catch {exec tgtadm -C $ctl --op show --mode sys}] == 0 &&
			    [catch {exec ss -Hltn "sport = :$port"} o] == 0 && $o ne ""} {
				set tgt(port) $port
				set tgt(ctl) $ctl
				set tgt(pid) $pid
				set tgt(tids) {}
				on_exit tgt_stop
				return 1
			}
			after 50
		}
		catch {exec kill -9 $pid}
	}
	return 0
}

proc tgt_stop {} {
	global tgt
	foreach tid $tgt(tids) {
		catch {exec tgtadm -C $tgt(ctl) --lld iscsi --op delete --mode target --tid $tid --force}
	}
	catch {exec tgtadm -C $tgt(ctl) --op delete --mode system}
	for {set i 0} {$i < 100} {incr i} {
		if {[catch {exec kill -0 $tgt(pid)}]} break
		after 50
	}
	catch {exec kill -9 $tgt(pid)}
	file delete /var/run/tgtd/socket.$tgt(ctl) /var/run/tgtd/socket.$tgt(ctl).lock
}

# A target open to every initiator, with LUNs backed by files of sizes.
proc tgt_target {tid iqn sizes} {
	global T tgt
	exec tgtadm -C $tgt(ctl) --lld iscsi --op new --mode target --tid $tid -T $iqn
	exec tgtadm -C $tgt(ctl) --lld iscsi --op bind --mode target --tid $tid -I ALL
	lappend tgt(tids) $tid
	set lun 1
	foreach s $sizes {
		exec truncate -s $s $T/lun$tid.$lun
		exec tgtadm -C $tgt(ctl) --lld iscsi --op new --mode logicalunit \
			--tid $tid --lun $lun --backing-store $T/lun$tid.$lun
		incr lun
	}
}

proc tgt_chap {tid user secret} {
	global tgt
	exec tgtadm -C $tgt(ctl) --lld iscsi --op new --mode account --user $user --password $secret
	exec tgtadm -C $tgt(ctl) --lld iscsi --op bind --mode account --tid $tid --user $user
}

# Leave cistern with q and check it exits 0 (under ASan: no leak).
proc tui_quit {name} {
	# a periodic refresh may be running (a remote pool refreshes in a
	# job, slower under a sanitizer): q would rightly ask first, so the
	# test waits until no job runs, and tries again if one began between
	for {set try 0} {$try < 3} {incr try} {
		wait_gone {[0-9]+ jobs? running} 15000
		keys q
		if {![wait_for {Quit cistern\?} 500]} {
			break
		}
		keys Escape
	}
	expect_screen "$name: quits cleanly" {CISTERN-EXITED 0} 10000
	tui_stop
}
