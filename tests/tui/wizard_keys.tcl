# cistern — the keys that define and start a pool of each type with the
# define-pool wizard (F2 to a running pool), as a new operator presses
# them. Key names are tmux's; {type TEXT} is typed text (not counted as a
# keystroke); {wait RE} waits for the screen and is no key; @WORD@ is the
# test's own value (a name, a device, a path). tests/tui/wizard_*.exp
# drive these very sequences (wizard_drive in wizlib.tcl), and
# wizard_dir.exp checks that a dir pool with the defaults takes at most
# 25 keystrokes.

# dir: name, then Enter through target path and review (Build, Start and
# Autostart are ticked: the directory is new).
set wizard_keys(dir) {
	F2 {type @NAME@} Enter {wait {Step 2 of 3: Target}}
	Enter {wait {Step 3 of 3: Review}} Enter
}

# fs on a blank device: the type, the device (typed: the list holds
# every block device of the machine), a target path, Build (mkfs) and
# Start are ticked because the device holds nothing.
set wizard_keys(fs) {
	F2 {type @NAME@} Tab Right Enter {wait {Step 2 of 4: Source}}
	{wait {@DEVNAME@ }} Tab C-u {type @DEV@} Enter
	{wait {Step 3 of 4: Target}} C-u {type @TARGET@} Enter
	{wait {Step 4 of 4: Review}} Enter
}

# netfs: the server, Tab looks at its exports (the first is taken), a
# mount point; start mounts it.
set wizard_keys(netfs) {
	F2 {type @NAME@} Tab Right Right Enter {wait {Step 2 of 4: Source}}
	{type @HOST@} Tab {wait {@EXPORT@ +\(nfs\)}} Enter
	{wait {Step 3 of 4: Target}} C-u {type @TARGET@} Enter
	{wait {Step 4 of 4: Review}} Enter
}

# logical, a new volume group on a blank device: the device is ticked
# (Space) in the list of blank devices; Build (pvcreate, vgcreate) is
# ticked because it holds nothing.
set wizard_keys(logical) {
	F2 {type @NAME@} Tab Right Right Right Enter
	{wait {Step 2 of 4: Source}} {wait {@DEV@ }} Tab Tab @DOWNS@ Space
	Enter {wait {Step 3 of 4: Target}} Enter {wait {Step 4 of 4: Review}}
	Enter
}

# disk on a blank disk: the disk (typed), the label (gpt), Build writes
# the label because the disk holds nothing.
set wizard_keys(disk) {
	F2 {type @NAME@} Tab Right Right Right Right Enter
	{wait {Step 2 of 4: Source}} {wait {@DEVNAME@ }} Tab C-u {type @DEV@}
	Enter {wait {Step 3 of 4: Target}} Enter {wait {Step 4 of 4: Review}}
	Enter
}

# iscsi-direct: the portal, an initiator name, CHAP; the targets are
# looked up and the first one's LUNs listed; start lists them as volumes.
set wizard_keys(iscsi-direct) {
	F2 {type @NAME@} Tab Left Left Enter {wait {Step 2 of 4: Source}}
	{type @HOST@} Tab C-u {type @PORT@} Tab C-u {type @IQN@} Tab
	{type @USER@} Tab {type @PASSWORD@} Enter
	{wait {Step 3 of 4: iSCSI}} {wait {unit:0:0:1}} Enter
	{wait {Step 4 of 4: Review}} Enter
}

# iscsi (the kernel's initiator): the same, without an initiator name
# of its own; start logs in with iscsiadm.
set wizard_keys(iscsi) {
	F2 {type @NAME@} Tab Left Left Left Enter {wait {Step 2 of 5: Source}}
	{type @HOST@} Tab C-u {type @PORT@} Tab Tab {type @USER@} Tab
	{type @PASSWORD@} Enter {wait {Step 3 of 5: iSCSI}} {wait {unit:0:0:1}}
	Enter {wait {Step 4 of 5: Target}} Enter {wait {Step 5 of 5: Review}}
	Enter
}

# rbd: a monitor, its port, the cephx key (the user is admin by
# default); leaving the key lists the cluster's RBD pools and the first
# is taken; start lists its images as volumes.
set wizard_keys(rbd) {
	F2 {type @NAME@} Tab Left Enter {wait {Step 2 of 3: Source}}
	{type @HOST@} Tab {type @PORT@} Tab Tab {type @KEY@} Tab
	{wait {Ceph pool +@CEPHPOOL@}} Enter {wait {Step 3 of 3: Review}} Enter
}
