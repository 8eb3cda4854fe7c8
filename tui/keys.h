/* cistern — keys as the interface sees them (characters are their code
 * points; curses key codes carry K_FN: K_FN(KEY_F(6))), and what a key
 * handler asks the main loop to do (UI_* flags). */
#ifndef CISTERN_KEYS_H
#define CISTERN_KEYS_H

#define K_FN(k)   ((k) | 0x1000000)
#define K_CTRL(c) ((c) & 0x1f)
#define K_ESC     27
#define K_ENTER   '\r'
#define K_TAB     '\t'
#define K_MOUSE   K_FN(KEY_MOUSE)
#define K_RESIZE  K_FN(KEY_RESIZE)
#define K_NONE    (-1)

/* What an event handler asks the main loop to do. */
enum {
	UI_NONE = 0,
	UI_DRAW = 1 << 0,      /* redraw the screen */
	UI_RELOAD = 1 << 1,    /* re-read pools, refresh the selected one */
	UI_REVOLS = 1 << 2,    /* rebuild the volume rows (pool changed) */
	UI_QUIT = 1 << 3,
	UI_REFRESH = 1 << 4,   /* refresh the selected pool's volumes */
};

#endif
