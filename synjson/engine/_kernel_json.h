/* JSON text for saving (issue 14 item 5): not written yet. */
#define JSON_METHODS
