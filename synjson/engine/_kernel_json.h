/* Saving (issue 14 item 5): the connections of a Synaptic JSON document, byte for byte what
 * synjson.dumps writes (synjson/format/synaptic.py, from synjson.model.codec.connection_columns).
 * Included by _kernel.c only.
 *
 * Numbers: Python's shortest round-trip digits (PyOS_double_to_string 'r', the repr behind
 * synjson.document.text.js_number), laid out by JavaScript's Number::toString rules (ECMA-262 6.1.6.1.20).
 */

/* `value` as JSON.stringify writes it into out (at least 32 bytes); its length, or -1 (ValueError). */
static Py_ssize_t js_number(double value, char *out) {
    if (value == 0) {
        out[0] = '0';
        return 1;
    }
    if (!isfinite(value)) {
        PyObject *number = PyFloat_FromDouble(value);
        if (number != NULL) {
            PyErr_Format(PyExc_ValueError, "%R has no JSON representation", number);
            Py_DECREF(number);
        }
        return -1;
    }
    char *text = PyOS_double_to_string(value, 'r', 0, 0, NULL);
    if (text == NULL)
        return -1;
    char digits[32];
    int k = 0, point = 0, seen_point = 0, exponent = 0, negative = 0;
    const char *c = text;
    if (*c == '-') {
        negative = 1;
        c++;
    }
    for (; *c && *c != 'e'; c++) {
        if (*c == '.') {
            seen_point = 1;
            continue;
        }
        if (k == 0 && *c == '0') { /* leading zeros move the point instead */
            if (seen_point)
                point--;
            continue;
        }
        if (k < 31)
            digits[k++] = *c;
        if (!seen_point)
            point++;
    }
    if (*c == 'e')
        exponent = atoi(c + 1);
    PyMem_Free(text);
    while (k > 1 && digits[k - 1] == '0') /* trailing zeros say nothing */
        k--;
    int n = point + exponent; /* value = 0.digits * 10**n */
    char *o = out;
    if (negative)
        *o++ = '-';
    if (k <= n && n <= 21) {
        memcpy(o, digits, k);
        o += k;
        for (int i = k; i < n; i++)
            *o++ = '0';
    } else if (0 < n && n <= 21) {
        memcpy(o, digits, n);
        o += n;
        *o++ = '.';
        memcpy(o, digits + n, k - n);
        o += k - n;
    } else if (-6 < n && n <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -n; i++)
            *o++ = '0';
        memcpy(o, digits, k);
        o += k;
    } else {
        *o++ = digits[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, k - 1);
            o += k - 1;
        }
        o += sprintf(o, "e%c%d", n - 1 > 0 ? '+' : '-', abs(n - 1));
    }
    return o - out;
}

/* A non-negative int32 in decimal into out; its length. */
static inline int write_int(char *out, int32_t value) {
    char digits[12];
    int k = 0;
    uint32_t v = (uint32_t)value;
    do {
        digits[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < k; i++)
        out[i] = digits[k - 1 - i];
    return k;
}

/* A growing byte buffer. */
typedef struct {
    char *data;
    Py_ssize_t size, used;
} Text;

static int text_reserve(Text *text, Py_ssize_t more) {
    if (text->used + more <= text->size)
        return 0;
    Py_ssize_t size = (text->size + more) * 2;
    char *data = PyMem_Realloc(text->data, size);
    if (data == NULL)
        return PyErr_NoMemory(), -1;
    text->data = data;
    text->size = size;
    return 0;
}

static PyObject *dump_connections(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5)
        return PyErr_Format(PyExc_TypeError, "dump_connections() takes 5 arguments (%zd given)", nargs), NULL;
    static const char *const names[] = {"source", "target", "gater", "weight", "order"};
    Py_buffer views[5];
    int held = 0;
    PyObject *result = NULL;
    Text text = {NULL, 0, 0};
    for (; held < 5; held++) {
        int doubles = held == 3;
        if (get_buffer(args[held], &views[held], doubles ? 'd' : 'i', doubles ? 8 : 4, 0, names[held]) < 0)
            goto done;
    }
    const int32_t *source = views[0].buf, *target = views[1].buf, *gater = views[2].buf, *order = views[4].buf;
    const double *weight = views[3].buf;
    Py_ssize_t count = views[3].len / 8, rows = views[4].len / 4;
    if (views[0].len / 4 != count || views[1].len / 4 != count || views[2].len / 4 != count) {
        PyErr_SetString(PyExc_ValueError, "source, target, gater and weight differ in length");
        goto done;
    }
    if (text_reserve(&text, rows * 64 + 16) < 0)
        goto done;
    for (Py_ssize_t r = 0; r < rows; r++) {
        int32_t c = order[r];
        if (c < 0 || c >= count) {
            PyErr_Format(PyExc_ValueError, "order[%zd] = %d is not a connection", r, (int)c);
            goto done;
        }
        if (text_reserve(&text, 128) < 0)
            goto done;
        char *o = text.data + text.used;
        if (r)
            *o++ = ',';
        memcpy(o, "{\"from\":", 8);
        o += 8;
        o += write_int(o, source[c]);
        memcpy(o, ",\"to\":", 6);
        o += 6;
        o += write_int(o, target[c]);
        memcpy(o, ",\"weight\":", 10);
        o += 10;
        Py_ssize_t length = js_number(weight[c], o);
        if (length < 0)
            goto done;
        o += length;
        if (gater[c] < 0) {
            memcpy(o, ",\"gater\":null}", 14);
            o += 14;
        } else {
            memcpy(o, ",\"gater\":", 9);
            o += 9;
            o += write_int(o, gater[c]);
            *o++ = '}';
        }
        text.used = o - text.data;
    }
    result = PyUnicode_DecodeASCII(text.data, text.used, NULL);
done:
    for (int k = 0; k < held; k++)
        PyBuffer_Release(&views[k]);
    PyMem_Free(text.data);
    return result;
}

static PyObject *js_number_text(PyObject *module, PyObject *value) {
    double number = PyFloat_AsDouble(value);
    if (number == -1.0 && PyErr_Occurred())
        return NULL;
    char out[40];
    Py_ssize_t length = js_number(number, out);
    return length < 0 ? NULL : PyUnicode_DecodeASCII(out, length, NULL);
}

#define JSON_METHODS                                                                                          \
    {"dump_connections", (PyCFunction)(void (*)(void))dump_connections, METH_FASTCALL,                        \
     "dump_connections(source, target, gater, weight, order) -> str: the connection objects of a Synaptic "   \
     "JSON document, comma-separated, for the connection slots in `order` (int32 and double buffers)."},       \
    {"js_number", (PyCFunction)js_number_text, METH_O,                                                        \
     "js_number(value) -> str: the number as JSON.stringify writes it (format.js_number)."},
