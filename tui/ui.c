/* cistern — the full-screen interface: start-up, the terminal, signals,
 * the main loop (poll over the terminal, the jobs' pipes, inotify on the
 * config and run dirs, and a timer); the model lives in ui_model.c. */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../core/pool.h"
#include "../core/run.h"
#include "../core/util.h"
#include "../core/watch.h"
#include "actions.h"
#include "keys.h"
#include "main.h"
#include "ui.h"
#include "ui_action.h"
#include "ui_dialog.h"
#include "ui_draw.h"
#include "ui_form.h"
#include "ui_job.h"
#include "ui_list.h"
#include "ui_map.h"
#include "ui_model.h"
#include "ui_hosts.h"
#include "ui_remote.h"
#include "ui_text.h"
#include "ui_settings.h"
#include "ui_theme.h"

#define TICK_MS 10000        /* refresh the selected pool this often */

/* The full-screen interface is built in. */
bool
ui_available(void)
{
	return true;
}

/* ---- signals: handlers only set flags ---- */

static volatile sig_atomic_t quit_signal;
static int wake_pipe[2] = { -1, -1 };   /* SIGWINCH wakes the poll */
static struct termios saved_tio;
static bool have_tio;
static char crash_seq[256];
static size_t crash_len;

/* SIGINT, SIGTERM, SIGHUP: remember it; the loop leaves cleanly. */
static void
on_quit_signal(int sig)
{
	quit_signal = sig;
}

/* SIGWINCH: wake the poll; the loop reads the new size. */
static void
on_winch(int sig)
{
	int saved = errno;

	(void)sig;
	if (wake_pipe[1] >= 0 && write(wake_pipe[1], "w", 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

/* Follow the terminal's real size (a resize may have come at any time). */
static bool
ui_check_size(struct ui *ui)
{
	struct winsize ws;
	char buf[64];

	while (wake_pipe[0] >= 0 && read(wake_pipe[0], buf, sizeof(buf)) > 0)
		;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 ||
	    ws.ws_col == 0)
		return false;
	if (ws.ws_row == LINES && ws.ws_col == COLS)
		return false;
	resizeterm(ws.ws_row, ws.ws_col);
	ui_layout(ui);
	clearok(curscr, TRUE);
	return true;
}

/* A crash: restore the terminal with async-signal-safe calls only. */
static void
on_crash(int sig)
{
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	if (write(STDOUT_FILENO, crash_seq, crash_len) < 0) {
		/* nothing more to do */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* fatal(): give the terminal back before the message. */
static void
ui_fatal_hook(void)
{
	endwin();
}

/* Append a terminfo string to what a crash writes. */
static void
crash_add(const char *cap)
{
	char *s = tigetstr((char *)cap);

	if (s == NULL || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (crash_len + n < sizeof(crash_seq)) {
		memcpy(crash_seq + crash_len, s, n);
		crash_len += n;
	}
}

/* Signal handlers (flags only), the crash path and the fatal hook. */
static void
signals_install(struct ui *ui)
{
	struct sigaction sa;
	static const int crash[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };

	crash_len = 0;
	if (ui->mouse) {
		static const char off[] = "\033[?1000l\033[?1006l";
		memcpy(crash_seq, off, sizeof(off) - 1);
		crash_len = sizeof(off) - 1;
	}
	crash_add("sgr0");
	crash_add("cnorm");
	crash_add("rmcup");
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
		sa.sa_handler = on_winch;
		sigaction(SIGWINCH, &sa, NULL);
	}
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < ARRAY_SIZE(crash); i++)
		sigaction(crash[i], &sa, NULL);
	util_set_fatal_hook(ui_fatal_hook);
}

/* ---- status line and log ---- */

/* Say something on the status line. */
void
ui_status(struct ui *ui, int role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	for (char *p = ui->status; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	ui->status_role = role;
	/* what the status line cannot hold whole is kept in the log, where
	 * L shows it (the line ends with a marker saying so) */
	if (!ui_status_fits(ui, ui->status)) {
		/* not again while it is among the latest entries (a periodic
		 * refresh that keeps failing) */
		bool logged = false;
		for (size_t k = 0; k < ui->nlog && k < 8; k++) {
			const struct log_line *l = &ui->log[(ui->log_head +
				LOG_MAX - 1 - k) % LOG_MAX];
			logged |= str_eq(l->text, ui->status) ||
				  str_eq(l->detail, ui->status);
		}
		if (!logged)
			ui_log(ui, role, ui->status, NULL);
	}
}

/* Does a message fit on the status line whole? */
bool
ui_status_fits(struct ui *ui, const char *msg)
{
	/* the columns the running jobs' count may take on the right */
	return ui->cols <= 0 || text_width(msg) <= ui->cols - 2 -
	       (ui_jobs_running(ui) > 0 ? 16 : 0);
}

/* Add an entry to the log pane (a ring of LOG_MAX). */
void
ui_log(struct ui *ui, int role, const char *text, const char *detail)
{
	struct log_line *l = &ui->log[ui->log_head];

	free(l->text);
	free(l->detail);
	free(l->cmd);
	l->when = (int64_t)time(NULL);
	l->role = role;
	l->text = xstrdup(text);
	l->detail = detail && *detail ? xstrdup(detail) : NULL;
	l->cmd = NULL;
	l->repeats = 0;
	ui->log_head = (ui->log_head + 1) % LOG_MAX;
	if (ui->nlog < LOG_MAX)
		ui->nlog++;
}

#define LOG_REPEAT_WINDOW 8

void
ui_log_cmd(struct ui *ui, const char *cmd, int status, bool dry, int64_t ms,
	   const char *detail)
{
	char *t = xasprintf("%s %s  (exit %d, %lld ms)", dry ? "dry-run" :
			    status == 0 ? ui->g->log_ok : ui->g->log_fail, cmd,
			    status, (long long)ms);
	int role = status == 0 ? R_NORMAL : R_ERROR;

	if (detail != NULL && *detail == '\0')
		detail = NULL;
	for (size_t k = 0; k < ui->nlog && k < LOG_REPEAT_WINDOW; k++) {
		struct log_line *l = &ui->log[(ui->log_head + LOG_MAX - 1 - k) %
					      LOG_MAX];
		if (l->cmd == NULL || strcmp(l->cmd, cmd) != 0 ||
		    l->role != role || !str_eq(l->detail, detail))
			continue;
		free(l->text);
		l->text = t;
		l->when = (int64_t)time(NULL);
		l->repeats++;
		return;
	}
	ui_log(ui, role, t, detail);
	ui->log[(ui->log_head + LOG_MAX - 1) % LOG_MAX].cmd = xstrdup(cmd);
	free(t);
}

/* Every command the core runs in this process lands in the log pane. */
static void
ui_run_logger(const struct run_log_entry *ent, void *arg)
{
	struct ui *ui = arg;
	char *line;

	if (ent->status == RUN_PENDING)
		return;
	line = run_argv_line(ent->argv);
	ui_log_cmd(ui, line, ent->status, ent->dry_run, ent->ms, ent->errtext);
	free(line);
}

/* A store warning goes to the log and the status line. */
static void
ui_store_warning(void *arg, const char *msg)
{
	struct ui *ui = arg;

	ui_log(ui, R_WARNING, msg, NULL);
	ui_status(ui, R_WARNING, "%s", msg);
}

/* Give the terminal to another program (the editor). */
void
ui_suspend(struct ui *ui)
{
	(void)ui;
	def_prog_mode();
	endwin();
}

/* Take the terminal back and repaint. */
void
ui_resume(struct ui *ui)
{
	reset_prog_mode();
	clearok(curscr, TRUE);
	ui_check_size(ui);
	ui_layout(ui);
	refresh();
}

/* ---- keys ---- */

/* One key from the terminal, or K_NONE. */
static int
read_key(void)
{
	wint_t wc;
	int r = wget_wch(stdscr, &wc);

	if (r == ERR)
		return K_NONE;
	if (r == KEY_CODE_YES)
		return K_FN((int)wc);
	return (int)wc;
}

/* A mouse event: dialogs first, then the screen. */
static int
handle_mouse(struct ui *ui)
{
	MEVENT ev;
	int button = 0;

	if (getmouse(&ev) != OK)
		return UI_NONE;
	if (ev.bstate & BUTTON1_PRESSED)
		button = 1;
	else if (ev.bstate & BUTTON4_PRESSED)
		button = 4;
	else if (ev.bstate & BUTTON5_PRESSED)
		button = 5;
	if (button == 0 || ui->too_small)
		return UI_NONE;
	if (ui->dlg != NULL) {
		if (button == 1 && dialog_is_form(ui->dlg))
			return form_click(ui, ui->dlg, ev.y, ev.x);
		return UI_NONE;
	}
	return ui_draw_click(ui, ev.y, ev.x, button);
}

/* The list pane that has the focus. */
static struct list *
focused_list(struct ui *ui)
{
	return ui->focus == FOCUS_VOLS ? &ui->vols : &ui->pools;
}

/* Esc on the main screen: clear a filter, else show the newest job. */
static int
main_escape(struct ui *ui)
{
	struct list *l = focused_list(ui);

	if (l->filter[0] != '\0') {
		list_set_filter(l, "");
		ui_status(ui, R_STATUS, "Filter cleared.");
		return UI_DRAW | (l == &ui->pools ? UI_REVOLS : 0);
	}
	for (size_t i = ui->njobs; i > 0; i--) {
		if (!ui->jobs[i - 1]->ended) {
			dialog_progress(ui, ui->jobs[i - 1]->id);
			return UI_DRAW;
		}
	}
	return UI_NONE;
}

/* One key on the main screen or the top dialog. */
/* Several hosts: [ and ] show the previous and next host; in the pools
 * pane, moving up from the first pool (or down from the last) goes on to
 * the host above (below); - folds or unfolds the other hosts' pools.
 * -1: not a host key. */
static int
host_key(struct ui *ui, int key)
{
	const struct list *l = &ui->pools;
	bool up = key == 'k' || key == K_FN(KEY_UP);
	bool down = key == 'j' || key == K_FN(KEY_DOWN);

	if (key == '-')
		return ui_hosts_fold(ui);
	if (key == '[' || (ui->focus == FOCUS_POOLS && up &&
			   (l->nview == 0 || l->sc.sel == 0))) {
		if (ui->cur == 0)
			return key == '[' ? UI_NONE : -1;
		ui_host_browse(ui, ui->cur - 1);
		if (up)
			list_move(&ui->pools, (long)ui->pools.nview);
		return UI_DRAW | UI_REVOLS;
	}
	if (key == ']' || (ui->focus == FOCUS_POOLS && down &&
			   (l->nview == 0 || l->sc.sel + 1 >= l->nview))) {
		if (ui->cur + 1 >= ui->nhosts)
			return key == ']' ? UI_NONE : -1;
		ui_host_browse(ui, ui->cur + 1);
		if (down)
			list_move(&ui->pools, -(long)ui->pools.nview);
		return UI_DRAW | UI_REVOLS;
	}
	return -1;
}

static int
handle_key(struct ui *ui, int key)
{
	int r;

	if (key == K_RESIZE) {
		ui_layout(ui);
		return UI_DRAW;
	}
	if (key == K_CTRL('l')) {
		clearok(curscr, TRUE);
		return UI_DRAW;
	}
	if (key == K_MOUSE)
		return handle_mouse(ui);
	if (ui->too_small)
		return key == 'q' || key == K_FN(KEY_F(10)) ? UI_QUIT : UI_NONE;
	if (ui->dlg != NULL)
		return ui->dlg->key(ui, ui->dlg, key);
	/* a pool without a map has no bottom pane to be in */
	if (ui->focus == FOCUS_BOTTOM && map_bottom(ui) == BOTTOM_DETAILS)
		ui->focus = FOCUS_POOLS;
	if (ui->focus == FOCUS_BOTTOM && map_bottom(ui) == BOTTOM_MAP &&
	    (r = map_key(ui, key)) >= 0)
		return r;
	switch (key) {
	case K_TAB:
	case K_FN(KEY_BTAB): {
		int n = map_bottom(ui) != BOTTOM_DETAILS ? 3 : 2;
		int d = key == K_TAB ? 1 : n - 1;
		ui->focus = (enum focus)(((int)ui->focus + d) % n);
		/* the map starts where the volume list is */
		if (ui->focus == FOCUS_BOTTOM)
			ui->map_dev = -1;
		return UI_DRAW;
	}
	case K_FN(KEY_LEFT): case 'h':
		ui->focus = FOCUS_POOLS;
		return UI_DRAW;
	case K_FN(KEY_RIGHT): case 'l':
		ui->focus = FOCUS_VOLS;
		return UI_DRAW;
	case K_ESC:
		return main_escape(ui);
	}
	if (ui->nhosts > 1 && (r = host_key(ui, key)) >= 0)
		return r;
	if (ui->focus == FOCUS_BOTTOM) {
		if (map_bottom(ui) == BOTTOM_LOG &&
		    (r = log_scroll_key(ui, key, 0)) >= 0)
			return r;
	} else if ((r = list_key(focused_list(ui), key)) >= 0) {
		return r | (ui->focus == FOCUS_POOLS ? UI_REVOLS : 0);
	}
	if (key == '\n')
		key = K_ENTER;
	return action_key(ui, key);
}

/* ---- live state ---- */

/* Watch the config, autostart and run dirs for other cisterns. */
static void
ino_watch(struct ui *ui)
{
	/* a session that may change things watches its dirs, so it makes
	 * them (a read-only one watches what exists) */
	ui->ino_fd = store_watch_open(&ui->home->store, !ui->read_only);
}

/* Did another program change a definition or a state? */
static bool
ino_read(struct ui *ui)
{
	return store_watch_read(&ui->home->store, ui->ino_fd);
}

/* ---- start and the loop ---- */

/* Host and user names for the title. */
static void
ui_identity(struct ui *ui)
{
	struct passwd *pw = getpwuid(geteuid());

	if (gethostname(ui->host, sizeof(ui->host)) < 0)
		snprintf(ui->host, sizeof(ui->host), "localhost");
	ui->host[sizeof(ui->host) - 1] = '\0';
	snprintf(ui->user, sizeof(ui->user), "%s", pw ? pw->pw_name : "?");
}

/* NO_COLOR and --color decide whether colours are off. */
static bool
want_mono(const struct options *o)
{
	const char *nc = getenv("NO_COLOR");

	if (o->color != NULL && strcmp(o->color, "never") == 0)
		return true;
	if (o->color != NULL && strcmp(o->color, "always") == 0)
		return false;
	return nc != NULL && nc[0] != '\0';
}

/* Set up the terminal, theme, mouse, signals and panes. */
static int
ui_start(struct ui *ui, struct cistern *c, const struct options *o,
	 char *why, size_t whylen)
{
	const char *cs = nl_langinfo(CODESET);
	const char *tname = o->theme ? o->theme : getenv("CISTERN_THEME");
	SCREEN *scr;

	memset(ui, 0, sizeof(*ui));
	ui->c = c;
	ui->home = c;
	ui->o = o;
	ui->read_only = o->read_only;
	ui->utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
				  strcmp(cs, "utf8") == 0);
	ui->g = glyphs_get(ui->utf8);
	text_init(ui->utf8, ui->g->ellipsis);
	ui->ino_fd = -1;
	ui->status_role = R_STATUS;
	ui->map_auto = true;
	ui_identity(ui);
	settings_load(ui);
	/* --theme and CISTERN_THEME win over the theme picked last time */
	if (tname == NULL && ui->set.theme[0] != '\0')
		tname = ui->set.theme;
	/* nothing prints over the screen from here on */
	run_set_logger(ui_run_logger, ui);
	c->warn = ui_store_warning;
	c->warn_arg = ui;
	if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
		have_tio = true;
	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		snprintf(why, whylen, "cannot use the terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	ui->mono = want_mono(o) || !has_colors();
	if (!ui->mono)
		start_color();
	if (ui->mono)
		tname = "mono";
	if (tname == NULL)
		tname = "default";
	if (theme_load(tname, &ui->theme, why, whylen) < 0)
		ui_status(ui, R_ERROR, "%s; using the built-in theme.", why);
	why[0] = '\0';
	theme_apply(ui);
	ui->mouse = !o->no_mouse;
	if (ui->mouse) {
		/* button presses only: no motion tracking; Shift+click still
		 * selects text in xterm-like terminals */
		mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED,
			  NULL);
		mouseinterval(0);
	}
	signals_install(ui);
	list_init(&ui->pools, "pools", pool_columns, pool_pane_cols,
		  &pool_list_ops, "name");
	list_init(&ui->vols, "volumes", vol_columns, vol_pane_cols,
		  &vol_list_ops, "name");
	settings_apply_sort(ui);
	ino_watch(ui);
	ui_remote_init(ui);
	if (ui_hosts_wanted(o, why, whylen) &&
	    ui_hosts_setup(ui, c, why, whylen) < 0)
		return -1;
	why[0] = '\0';
	ui_layout(ui);
	return 0;
}

/* Cancel jobs, restore the terminal, free everything. */
static void
ui_stop(struct ui *ui)
{
	ui_jobs_cancel_all(ui);
	ui_remote_free(ui);
	ui_hosts_free(ui);
	endwin();
	util_set_fatal_hook(NULL);
	run_set_logger(NULL, NULL);
	ui->home->warn = NULL;
	list_free(&ui->pools);
	list_free(&ui->vols);
	while (ui->dlg != NULL)
		dialog_pop(ui);
	for (size_t i = 0; i < ui->njobs; i++) {
		if (ui->jobs[i]->fd >= 0)
			close(ui->jobs[i]->fd);
		free(ui->jobs[i]->title);
		free(ui->jobs[i]->pool);
		free(ui->jobs[i]->select_vol);
		free(ui->jobs[i]->msg);
		free(ui->jobs[i]->output);
		free(ui->jobs[i]->buf);
		free(ui->jobs[i]);
	}
	free(ui->jobs);
	for (size_t i = 0; i < LOG_MAX; i++) {
		free(ui->log[i].text);
		free(ui->log[i].detail);
		free(ui->log[i].cmd);
	}
	free(ui->pool_name);
	free(ui->vol_name);
	settings_free(ui);
	if (ui->ino_fd >= 0)
		close(ui->ino_fd);
	signal(SIGWINCH, SIG_DFL);
	for (int i = 0; i < 2; i++) {
		if (wake_pipe[i] >= 0)
			close(wake_pipe[i]);
		wake_pipe[i] = -1;
	}
}

/* The main loop: draw, then poll keys, jobs, inotify and the timer. */
static int
ui_loop(struct ui *ui)
{
	int flags = UI_DRAW;
	struct pollfd *pf = NULL;

	ui->next_tick = now_ms() + TICK_MS;
	for (;;) {
		int64_t now;
		int timeout, npf = 0, k;

		if (quit_signal || (flags & UI_QUIT))
			break;
		if (flags & UI_RELOAD) {
			ui_reload(ui);
			flags |= UI_DRAW;
		}
		if (flags & UI_REVOLS) {
			ui_follow_pool(ui);
			flags |= UI_DRAW;
		}
		if (ui_check_size(ui))
			flags |= UI_DRAW;
		ui_sync(ui);
		if (flags & UI_DRAW)
			ui_draw(ui);
		flags = 0;
		pf = xreallocarray(pf, ui->njobs + 4 + 2 * ui_remotes_count(ui),
				   sizeof(*pf));
		pf[npf++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		if (wake_pipe[0] >= 0)
			pf[npf++] = (struct pollfd){ .fd = wake_pipe[0],
						     .events = POLLIN };
		if (ui->ino_fd >= 0)
			pf[npf++] = (struct pollfd){ .fd = ui->ino_fd,
						     .events = POLLIN };
		npf += (int)ui_remotes_pollfds(ui, pf + npf,
					       2 * ui_remotes_count(ui));
		for (size_t i = 0; i < ui->njobs; i++)
			if (!ui->jobs[i]->ended)
				pf[npf++] = (struct pollfd){ .fd = ui->jobs[i]->fd,
							     .events = POLLIN };
		now = now_ms();
		timeout = (int)(ui->next_tick - now);
		if (ui->reload_at > 0 && ui->reload_at - now < timeout)
			timeout = (int)(ui->reload_at - now);
		if (ui_jobs_running(ui) > 0 && timeout > 500)
			timeout = 500;   /* rates and times left move */
		timeout = ui_remotes_timeout(ui, now, timeout);
		if (timeout < 0)
			timeout = 0;
		k = poll(pf, (nfds_t)npf, timeout);
		if (k < 0 && errno != EINTR)
			break;
		/* keys (and a resize after EINTR) */
		for (int key; (key = read_key()) != K_NONE;) {
			/* each key sees the state the previous one left */
			int r = handle_key(ui, key);
			if (r & UI_RELOAD)
				ui_reload(ui);
			if (r & UI_REVOLS)
				ui_follow_pool(ui);
			flags |= r & ~(UI_RELOAD | UI_REVOLS);
			if (r & (UI_RELOAD | UI_REVOLS))
				flags |= UI_DRAW;
			ui_sync(ui);
			if (flags & UI_QUIT)
				break;
		}
		settings_sync(ui);
		for (int i = 1; k > 0 && i < npf; i++) {
			if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (pf[i].fd == wake_pipe[0]) {
				flags |= UI_DRAW;
			} else if (pf[i].fd == ui->ino_fd) {
				if (ino_read(ui) && ui->reload_at == 0)
					ui->reload_at = now_ms() + WATCH_DEBOUNCE_MS;
			} else {
				bool mine;
				int r = ui_remotes_ready(ui, pf[i].fd, &mine);
				flags |= mine ? r : ui_jobs_poll(ui, pf[i].fd);
			}
		}
		now = now_ms();
		if (ui->reload_at > 0 && now >= ui->reload_at) {
			ui->reload_at = 0;
			flags |= UI_RELOAD;
		}
		if (now >= ui->next_tick) {
			ui->next_tick = now + TICK_MS;
			flags |= UI_RELOAD;
		}
		flags |= ui_remotes_tick(ui, now);
		if (ui_jobs_running(ui) > 0)
			flags |= UI_DRAW;
	}
	free(pf);
	return quit_signal ? 128 + quit_signal : 0;
}

/* Run the interface until the operator leaves. */
int
ui_main(struct cistern *c, const struct options *o)
{
	struct ui *ui = xcalloc(1, sizeof(*ui));
	char why[512] = "";
	int rc;

	if (ui_start(ui, c, o, why, sizeof(why)) < 0) {
		run_set_logger(NULL, NULL);
		c->warn = NULL;
		fprintf(stderr, "error: %s\n", why);
		free(ui);
		return 1;
	}
	ui_refresh_all(ui);
	ui_rebuild_pools(ui);
	ui_ensure_vols(ui);
	ui_rebuild_vols(ui);
	if (ui->status[0] == '\0' && ui_remote(ui))
		ui_status(ui, R_STATUS, "%zu pool%s at %s. ? shows every key; : "
			  "runs a command.", c->npools, c->npools == 1 ? "" : "s",
			  ui_remote_uri(ui));
	if (ui->status[0] == '\0')
		ui_status(ui, R_STATUS, "%zu pool%s. ? shows every key; : runs a "
			  "command.", c->npools, c->npools == 1 ? "" : "s");
	if (c->npools == 0 && !ui->read_only)
		ui_offer_default_pool(ui);
	rc = ui_loop(ui);
	ui_stop(ui);
	free(ui);
	return rc;
}
