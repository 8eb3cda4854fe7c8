# cistern — helpers for the interface's tests (expect/Tcl).
#
# cistern runs in a private tmux server at a fixed size; keys go in with
# send-keys; the emulated screen comes back with capture-pane (-e adds the
# attributes). Tests poll the screen until what they expect shows or a
# timeout passes: never a fixed sleep. Each case prints "ok NAME" or
# "not ok NAME: why" (tests/run.sh counts them).

set top $env(TOP)
set cistern $env(CISTERN)
set T [exec mktemp -d /tmp/cistern-tui.XXXXXX]
set CFG $T/cfg
set SOCK $T/tmux.sock
set cleanups {}
set failures 0
# put before cistern's command line (nsenter --net=... for a namespace)
set tui_prefix ""


proc on_exit {script} {
	global cleanups
	lappend cleanups $script
}

proc cleanup {} {
	global cleanups T SOCK
	catch {exec tmux -S $SOCK kill-server}
	foreach s [lreverse $cleanups] {
		catch {uplevel #0 $s}
	}
	catch {exec rm -rf $T}
}

# A test killed (timeout, Ctrl-C, a closed pipe) still cleans up.
trap {cleanup; exit 1} {SIGINT SIGTERM SIGHUP SIGPIPE}

proc ok {name} {
	puts "ok $name"
	flush stdout
}

proc fail {name why} {
	global failures
	incr failures
	puts "not ok $name: $why"
	flush stdout
}

proc skip {name why} {
	puts "skip $name: $why"
}

# The command line of cistern on the test's config dir.
proc cis {args} {
	global cistern CFG
	return [exec $cistern --config-dir $CFG {*}$args 2>@1]
}

# Define a pool from XML text (fixed UUIDs keep golden screens stable).
proc define_xml {xml} {
	global T
	set f [open $T/def.xml w]
	puts $f $xml
	close $f
	cis pool-define $T/def.xml
}

# Start cistern in tmux: ENV is a list of NAME=VALUE, ARGS extra options.
# Rows for a screen whose lists show every block device of the machine
# (the wizards' discovery): BASE plus one per device, so a test's own
# devices are on screen however many others the machine has.
proc rows_for_devices {base} {
	set n 0
	catch {set n [llength [split [string trim [exec lsblk -rno NAME]] \n]]}
	return [expr {$base + $n}]
}

proc tui_start {cols rows {envs {}} {extra {}}} {
	global cistern CFG SOCK T
	catch {exec tmux -S $SOCK kill-server}
	file delete -force $SOCK
	set e "env -u LC_ALL -u LC_CTYPE -u LC_MESSAGES"
	foreach v $envs {
		append e " '$v'"
	}
	global tui_prefix
	set cmd "$tui_prefix $e $cistern --config-dir $CFG $extra; echo CISTERN-EXITED \$?; sleep 600"
	exec tmux -S $SOCK -f /dev/null new-session -d -c $T -x $cols -y $rows $cmd
	exec tmux -S $SOCK set-option -g status off
}

proc tui_stop {} {
	global SOCK
	catch {exec tmux -S $SOCK kill-server}
}

proc keys {args} {
	global SOCK
	exec tmux -S $SOCK send-keys {*}$args
}

# Type a string literally.
proc type {text} {
	global SOCK
	exec tmux -S $SOCK send-keys -l $text
}

proc screen {args} {
	global SOCK
	return [exec tmux -S $SOCK capture-pane -p {*}$args]
}

proc resize {cols rows} {
	global SOCK
	exec tmux -S $SOCK resize-window -x $cols -y $rows
}

# Poll until the screen matches the regexp (timeout in ms); 1 or 0.
# Unless the pattern starts with its own options ("(?s)" spans lines on
# purpose), "." and "[^x]" stop at the end of a screen line: Tcl's "."
# matches newlines by default, and "title .*: done" would otherwise match
# a dialog's title on one line and an older status on another.
proc wait_for {re {timeout 5000} {opts {}}} {
	if {![string match "(?*" $re]} {
		set re "(?p)$re"
	}
	set end [expr {[clock milliseconds] + $timeout}]
	while {1} {
		if {[catch {screen {*}$opts} s] == 0 && [regexp -- $re $s]} {
			return 1
		}
		if {[clock milliseconds] > $end} {
			return 0
		}
		after 40
	}
}

# Poll until the screen no longer matches.
proc wait_gone {re {timeout 5000}} {
	set end [expr {[clock milliseconds] + $timeout}]
	while {1} {
		if {[catch {screen} s] == 0 && ![regexp -- $re $s]} {
			return 1
		}
		if {[clock milliseconds] > $end} {
			return 0
		}
		after 40
	}
}

proc show_screen {} {
	if {[catch {screen} s] == 0} {
		foreach l [split $s "\n"] {
			puts "    | $l"
		}
	}
}

# A case: ok when the screen comes to match.
proc expect_screen {name re {timeout 5000} {opts {}}} {
	if {[wait_for $re $timeout $opts]} {
		ok $name
		return 1
	}
	fail $name "screen never matched /$re/"
	show_screen
	return 0
}

proc expect_no_screen {name re {timeout 3000}} {
	if {[wait_gone $re $timeout]} {
		ok $name
		return 1
	}
	fail $name "screen still matches /$re/"
	show_screen
	return 0
}

proc expect_true {name cond {why "condition false"}} {
	if {[uplevel 1 [list expr $cond]]} {
		ok $name
	} else {
		fail $name $why
	}
}

# A dir pool on a small tmpfs: sizes that do not depend on the host.
proc tmpfs_mount {dir size} {
	file mkdir $dir
	exec mount -t tmpfs -o size=$size,mode=0755 tmpfs $dir
	on_exit [list exec umount -l $dir]
}

proc finish {} {
	global failures
	cleanup
	exit [expr {$failures ? 1 : 0}]
}

# The standard set of pools: several types and states, fixed UUIDs, a
# running dir pool on a 64 MiB tmpfs with three volumes.
proc fixture_pools {} {
	global T CFG
	tmpfs_mount $T/fs 64m
	define_xml "<pool type='dir'><name>images</name><uuid>11111111-1111-4111-8111-111111111111</uuid><target><path>$T/fs/images</path></target></pool>"
	cis pool-start images --build
	cis pool-autostart images
	exec truncate -s 1G $T/fs/images/web01.img
	exec dd if=/dev/zero of=$T/fs/images/db.raw bs=1M count=8 2>/dev/null
	exec truncate -s 20M $T/fs/images/base.qcow2
	define_xml "<pool type='dir'><name>scratch</name><uuid>22222222-2222-4222-8222-222222222222</uuid><target><path>$T/fs/scratch</path></target></pool>"
	# recorded as running, but its directory is gone: inaccessible
	define_xml "<pool type='dir'><name>old</name><uuid>33333333-3333-4333-8333-333333333333</uuid><target><path>$T/fs/old</path></target></pool>"
	cis pool-start old --build
	file delete $T/fs/old
	# another cistern recorded this one degraded (the store is the
	# interface between cisterns)
	define_xml "<pool type='dir'><name>backup</name><uuid>44444444-4444-4444-8444-444444444444</uuid><target><path>$T/fs/backup</path></target></pool>"
	cis pool-build backup
	set f [open $CFG/run/backup.json w]
	puts $f "{\"state\":\"degraded\",\"capacity\":67108864,\"allocation\":58720256,\"available\":8388608,\"changed\":1,\"error\":\"1 of 2 devices is missing\",\"facts\":{}}"
	close $f
	define_xml "<pool type='logical'><name>vg0</name><uuid>55555555-5555-4555-8555-555555555555</uuid><source><name>vg0</name><format type='lvm2'/></source><target><path>/dev/vg0</path></target></pool>"
	define_xml "<pool type='disk'><name>sdb</name><uuid>66666666-6666-4666-8666-666666666666</uuid><source><device path='/dev/sdb'/><format type='gpt'/></source><target><path>/dev</path></target></pool>"
	define_xml "<pool type='netfs'><name>nfs1</name><uuid>77777777-7777-4777-8777-777777777777</uuid><source><host name='nfs1.example.com'/><dir path='/export/images'/><format type='nfs'/></source><target><path>/mnt/nfs1</path></target></pool>"
	define_xml "<pool type='iscsi'><name>san</name><uuid>88888888-8888-4888-8888-888888888888</uuid><source><host name='san.example.com'/><device path='iqn.2024-01.com.example:target1'/></source><target><path>/dev/disk/by-path</path></target></pool>"
}

# The screen with what changes between hosts and runs made constant.
proc normalized {{opts {}}} {
	global T
	set s [screen {*}$opts]
	set host [info hostname]
	set user [exec id -un]
	set lines [split $s "\n"]
	set first [lindex $lines 0]
	set first [string map [list $T /TMP " $host " " HOST " " $user " " USER "] $first]
	regsub -all { {2,}} $first " " first
	set out [list $first]
	foreach l [lrange $lines 1 end] {
		# a lost host's countdown
		regsub -all {retrying in [0-9]+ s} $l {retrying in N s} l
		lappend out [string map [list $T /TMP] $l]
	}
	return [join $out "\n"]
}

# Compare the screen with a golden file (CISTERN_GOLDEN=update rewrites).
proc golden {name file} {
	global top env
	set path $top/tests/tui/golden/$file
	set s [normalized]
	if {[info exists env(CISTERN_GOLDEN)] && $env(CISTERN_GOLDEN) eq "update"} {
		set f [open $path w]
		puts -nonewline $f $s
		close $f
	}
	if {![file exists $path]} {
		fail $name "no golden file $path (run with CISTERN_GOLDEN=update)"
		return
	}
	set f [open $path r]
	set g [read $f]
	close $f
	if {$g eq $s} {
		ok $name
	} else {
		fail $name "screen differs from $file"
		set a [split $g "\n"]
		set b [split $s "\n"]
		for {set i 0} {$i < [llength $b]} {incr i} {
			if {[lindex $a $i] ne [lindex $b $i]} {
				puts "    line $i golden: [lindex $a $i]"
				puts "    line $i screen: [lindex $b $i]"
			}
		}
	}
}
