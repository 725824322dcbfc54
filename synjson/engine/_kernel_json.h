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

/* Loading (issue 24): a parsed document's connections as columns, checked in one pass with the rules of
 * synjson/document/wiring.py, whose pure path is the specification (the tests hold the two to the same
 * answers). Any connection that is not plain makes the answer None: the full validation then names it. */

#define NOT_PLAIN (-2)

/* A neuron index below count (an int, or a string of digits as 1.0.x wrote them), -1 for null when
 * nullable, else NOT_PLAIN. */
static int64_t plain_index(PyObject *value, int64_t count, int nullable) {
    if (value == NULL || value == Py_None)
        return nullable ? -1 : NOT_PLAIN;
    if (PyLong_CheckExact(value)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow || v < 0 || v >= count || v > 4294967294LL)
            return NOT_PLAIN;
        return v;
    }
    if (PyUnicode_CheckExact(value) && PyUnicode_IS_ASCII(value)) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(value);
        const unsigned char *s = PyUnicode_1BYTE_DATA(value);
        if (n < 1 || n > 10 || (n > 1 && s[0] == '0'))
            return NOT_PLAIN;
        int64_t v = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (s[i] < '0' || s[i] > '9')
                return NOT_PLAIN;
            v = v * 10 + (s[i] - '0');
        }
        return v < count ? v : NOT_PLAIN;
    }
    return NOT_PLAIN;
}

static int compare_pairs(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static PyObject *connection_table(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4)
        return PyErr_Format(PyExc_TypeError, "connection_table() takes 4 arguments (%zd given)", nargs), NULL;
    PyObject *list = args[0];
    long long count = PyLong_AsLongLong(args[1]);
    if (count == -1 && PyErr_Occurred())
        return NULL;
    int allow_nan = PyObject_IsTrue(args[2]), refuse = PyObject_IsTrue(args[3]);
    if (!PyList_CheckExact(list))
        Py_RETURN_NONE;
    Py_ssize_t m = PyList_GET_SIZE(list);
    PyObject *columns[4] = {NULL, NULL, NULL, NULL}, *result = NULL;
    uint64_t *pairs = NULL;
    if (count > INT32_MAX)
        count = INT32_MAX; /* the store's tables are int32: an index past it is not plain */
    for (int k = 0; k < 4; k++)
        if ((columns[k] = PyBytes_FromStringAndSize(NULL, m * (k == 3 ? 8 : 4))) == NULL)
            goto done;
    int32_t *source = (int32_t *)PyBytes_AS_STRING(columns[0]), *target = (int32_t *)PyBytes_AS_STRING(columns[1]),
            *gater = (int32_t *)PyBytes_AS_STRING(columns[2]);
    double *weight = (double *)PyBytes_AS_STRING(columns[3]);
    pairs = PyMem_Malloc((m ? m : 1) * sizeof(uint64_t));
    if (pairs == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    static PyObject *keys[4];
    static const char *const names[4] = {"from", "to", "weight", "gater"};
    for (int k = 0; k < 4; k++)
        if (keys[k] == NULL && (keys[k] = PyUnicode_InternFromString(names[k])) == NULL)
            goto done;
    Py_ssize_t gated = 0;
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *item = PyList_GET_ITEM(list, i);
        if (!PyDict_CheckExact(item))
            goto not_plain;
        PyObject *from = PyDict_GetItemWithError(item, keys[0]), *to = PyDict_GetItemWithError(item, keys[1]),
                 *w = PyDict_GetItemWithError(item, keys[2]), *g = PyDict_GetItemWithError(item, keys[3]);
        if (PyErr_Occurred())
            goto done;
        if (from == NULL || to == NULL || w == NULL)
            goto not_plain;
        int64_t s = plain_index(from, count, 0), t = plain_index(to, count, 0), q = plain_index(g, count, 1);
        if (s == NOT_PLAIN || t == NOT_PLAIN || q == NOT_PLAIN)
            goto not_plain;
        double value;
        if (PyFloat_CheckExact(w)) {
            value = PyFloat_AS_DOUBLE(w);
            if (!allow_nan && !isfinite(value))
                goto not_plain;
        } else if (PyLong_CheckExact(w)) {
            value = PyLong_AsDouble(w);
            if (value == -1.0 && PyErr_Occurred()) {
                PyErr_Clear(); /* past the doubles: the full validation says so */
                goto not_plain;
            }
        } else {
            goto not_plain;
        }
        source[i] = (int32_t)s, target[i] = (int32_t)t, gater[i] = (int32_t)q, weight[i] = value;
        gated += q >= 0;
        pairs[i] = (uint64_t)s * (uint64_t)count + (uint64_t)t;
    }
    qsort(pairs, m, sizeof(uint64_t), compare_pairs);
    int unique = 1;
    for (Py_ssize_t i = 1; i < m && unique; i++)
        unique = pairs[i] != pairs[i - 1];
    if (refuse && !unique)
        goto not_plain;
    result = Py_BuildValue("(OOOOnO)", columns[0], columns[1], columns[2], columns[3], gated,
                           unique ? Py_True : Py_False);
    goto done;
not_plain:
    result = Py_NewRef(Py_None);
done:
    for (int k = 0; k < 4; k++)
        Py_XDECREF(columns[k]);
    PyMem_Free(pairs);
    return result;
}

/* group(keys, size, start) -> (pointers, items): CSR tables grouping the slots start + k by keys[k]
 * (int32, 0 <= key < size), each group in slot order (a stable counting sort; bulk.py's pure path). */
static PyObject *group(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3)
        return PyErr_Format(PyExc_TypeError, "group() takes 3 arguments (%zd given)", nargs), NULL;
    Py_ssize_t size = PyLong_AsSsize_t(args[1]), start = PyLong_AsSsize_t(args[2]);
    if (PyErr_Occurred())
        return NULL;
    Py_buffer view;
    if (get_buffer(args[0], &view, 'i', 4, 0, "keys") < 0)
        return NULL;
    const int32_t *keys = view.buf;
    Py_ssize_t m = view.len / 4;
    PyObject *pointers = PyBytes_FromStringAndSize(NULL, (size + 1) * 4), *items = PyBytes_FromStringAndSize(NULL, m * 4);
    PyObject *result = NULL;
    if (pointers == NULL || items == NULL)
        goto done;
    int32_t *ptr = (int32_t *)PyBytes_AS_STRING(pointers), *out = (int32_t *)PyBytes_AS_STRING(items);
    memset(ptr, 0, (size + 1) * 4);
    for (Py_ssize_t k = 0; k < m; k++) {
        if (keys[k] < 0 || keys[k] >= size) {
            PyErr_Format(PyExc_ValueError, "keys[%zd] = %d is not below %zd", k, (int)keys[k], size);
            goto done;
        }
        ptr[keys[k] + 1]++;
    }
    for (Py_ssize_t p = 0; p < size; p++)
        ptr[p + 1] += ptr[p];
    int32_t *fill = PyMem_Malloc((size ? size : 1) * 4);
    if (fill == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(fill, ptr, size * 4);
    for (Py_ssize_t k = 0; k < m; k++)
        out[fill[keys[k]]++] = (int32_t)(start + k);
    PyMem_Free(fill);
    result = PyTuple_Pack(2, pointers, items);
done:
    PyBuffer_Release(&view);
    Py_XDECREF(pointers);
    Py_XDECREF(items);
    return result;
}

/* scan_connections(data, start) -> (end, source, target, gater, weight, unique) | None: the connections array of a
 * Synaptic file read straight from its text into columns (int32 and double bytes), without a Python
 * object per number (issue 24: a read's peak memory). Only the plain layout JSON.stringify writes is
 * taken: objects {"from": i, "to": j, "weight": x[, "gater": null | k]} in that key order, indices as
 * digits (no sign, no leading zero, at most 10), weights as JSON numbers read as json.loads reads them
 * (an integer as float(int): 0 for -0), finite; white space anywhere JSON allows it. Anything else
 * answers None and the caller parses the text as usual. `end` is the offset just past the array. */

static const char *skip_space(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

static const char *expect_key(const char *p, const char *end, const char *key) {
    size_t n = strlen(key);
    p = skip_space(p, end);
    if ((size_t)(end - p) < n + 2 || p[0] != '"' || memcmp(p + 1, key, n) != 0 || p[n + 1] != '"')
        return NULL;
    p = skip_space(p + n + 2, end);
    if (p >= end || *p != ':')
        return NULL;
    return skip_space(p + 1, end);
}

static const char *scan_index(const char *p, const char *end, int32_t *out) {
    const char *start = p;
    int64_t v = 0;
    while (p < end && *p >= '0' && *p <= '9' && p - start < 11)
        v = v * 10 + (*p++ - '0');
    Py_ssize_t n = p - start;
    if (n < 1 || n > 10 || (n > 1 && *start == '0') || v > INT32_MAX)
        return NULL;
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E' || (*p >= '0' && *p <= '9')))
        return NULL; /* 1.0, 1e3: json reads a float, not an index */
    *out = (int32_t)v;
    return p;
}

static const char *scan_number(const char *p, const char *end, double *out) {
    const char *start = p;
    int integer = 1;
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (p < end && *p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    if (p < end && *p == '.') {
        integer = 0;
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return NULL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        integer = 0;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || *p < '0' || *p > '9')
            return NULL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    char buffer[64];
    if (p - start >= 63)
        return NULL; /* long integers and odd spellings: json decides */
    memcpy(buffer, start, p - start);
    buffer[p - start] = 0;
    double value = PyOS_string_to_double(buffer, NULL, NULL);
    if (value == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return NULL;
    }
    if (!isfinite(value))
        return NULL;
    *out = (integer && value == 0) ? 0.0 : value;
    return p;
}

typedef struct {
    char *data;
    Py_ssize_t used, size;
} Column;

static int column_push(Column *c, const void *item, Py_ssize_t width) {
    if (c->used + width > c->size) {
        Py_ssize_t size = c->size ? c->size * 2 : 4096;
        char *data = PyMem_Realloc(c->data, size);
        if (data == NULL)
            return PyErr_NoMemory(), -1;
        c->data = data, c->size = size;
    }
    memcpy(c->data + c->used, item, width);
    c->used += width;
    return 0;
}

static PyObject *scan_connections(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2)
        return PyErr_Format(PyExc_TypeError, "scan_connections() takes 2 arguments (%zd given)", nargs), NULL;
    char *data;
    Py_ssize_t length;
    if (PyBytes_AsStringAndSize(args[0], &data, &length) < 0)
        return NULL;
    Py_ssize_t offset = PyLong_AsSsize_t(args[1]);
    if (offset == -1 && PyErr_Occurred())
        return NULL;
    if (offset < 0 || offset >= length || data[offset] != '[')
        Py_RETURN_NONE;
    const char *p = data + offset + 1, *end = data + length;
    Column columns[4] = {{NULL, 0, 0}, {NULL, 0, 0}, {NULL, 0, 0}, {NULL, 0, 0}};
    PyObject *result = NULL;
    p = skip_space(p, end);
    if (p < end && *p == ']') {
        p++;
        goto finished;
    }
    for (;;) {
        int32_t source, target, gater = -1;
        double weight;
        p = skip_space(p, end);
        if (p >= end || *p != '{')
            goto not_plain;
        if ((p = expect_key(p + 1, end, "from")) == NULL || (p = scan_index(p, end, &source)) == NULL)
            goto not_plain;
        p = skip_space(p, end);
        if (p >= end || *p != ',' || (p = expect_key(p + 1, end, "to")) == NULL ||
            (p = scan_index(p, end, &target)) == NULL)
            goto not_plain;
        p = skip_space(p, end);
        if (p >= end || *p != ',' || (p = expect_key(p + 1, end, "weight")) == NULL ||
            (p = scan_number(p, end, &weight)) == NULL)
            goto not_plain;
        p = skip_space(p, end);
        if (p < end && *p == ',') {
            if ((p = expect_key(p + 1, end, "gater")) == NULL)
                goto not_plain;
            if (end - p >= 4 && memcmp(p, "null", 4) == 0)
                p += 4;
            else if ((p = scan_index(p, end, &gater)) == NULL)
                goto not_plain;
            p = skip_space(p, end);
        }
        if (p >= end || *p != '}')
            goto not_plain;
        p = skip_space(p + 1, end);
        if (column_push(&columns[0], &source, 4) < 0 || column_push(&columns[1], &target, 4) < 0 ||
            column_push(&columns[2], &gater, 4) < 0 || column_push(&columns[3], &weight, 8) < 0)
            goto done;
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == ']') {
            p++;
            break;
        }
        goto not_plain;
    }
finished:;
    /* Whether a pair of neurons repeats: sort (from, to) as one 64-bit key each. */
    Py_ssize_t m = columns[0].used / 4;
    uint64_t *pairs = PyMem_Malloc((m ? m : 1) * sizeof(uint64_t));
    if (pairs == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    const int32_t *sources = (const int32_t *)columns[0].data, *targets = (const int32_t *)columns[1].data;
    for (Py_ssize_t i = 0; i < m; i++)
        pairs[i] = ((uint64_t)(uint32_t)sources[i] << 32) | (uint32_t)targets[i];
    qsort(pairs, m, sizeof(uint64_t), compare_pairs);
    int unique = 1;
    for (Py_ssize_t i = 1; i < m && unique; i++)
        unique = pairs[i] != pairs[i - 1];
    PyMem_Free(pairs);
    result = Py_BuildValue("(ny#y#y#y#O)", (Py_ssize_t)(p - data), columns[0].data ? columns[0].data : "",
                           columns[0].used, columns[1].data ? columns[1].data : "", columns[1].used,
                           columns[2].data ? columns[2].data : "", columns[2].used,
                           columns[3].data ? columns[3].data : "", columns[3].used, unique ? Py_True : Py_False);
    goto done;
not_plain:
    result = Py_NewRef(Py_None);
done:
    for (int k = 0; k < 4; k++)
        PyMem_Free(columns[k].data);
    return result;
}

#define JSON_METHODS                                                                                          \
    {"dump_connections", (PyCFunction)(void (*)(void))dump_connections, METH_FASTCALL,                        \
     "dump_connections(source, target, gater, weight, order) -> str: the connection objects of a Synaptic "   \
     "JSON document, comma-separated, for the connection slots in `order` (int32 and double buffers)."},       \
    {"connection_table", (PyCFunction)(void (*)(void))connection_table, METH_FASTCALL,                        \
     "connection_table(connections, count, allow_nan, refuse) -> (source, target, gater, weight, gated, "     \
     "unique) as int32/double bytes, or None when a connection is not plain (document/wiring.py)."},          \
    {"scan_connections", (PyCFunction)(void (*)(void))scan_connections, METH_FASTCALL,                        \
     "scan_connections(data, start) -> (end, source, target, gater, weight, unique) | None: a plain "     \
     "connections array read from JSON text into int32/double columns (None: parse it as usual)."},                       \
    {"group", (PyCFunction)(void (*)(void))group, METH_FASTCALL,                                              \
     "group(keys, size, start) -> (pointers, items): int32 CSR tables of slots start+k grouped by keys[k]."},  \
    {"js_number", (PyCFunction)js_number_text, METH_O,                                                        \
     "js_number(value) -> str: the number as JSON.stringify writes it (format.js_number)."},
