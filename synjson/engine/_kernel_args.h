/* Reading inputs, targets and rates exactly as synjson's Network does (included by _kernel.c only). */

/* -- reading numbers ------------------------------------------------------------------------ */

static PyObject *input_error; /* synjson.errors.InputError, set once by PyInit__kernel */

/* A NaN or infinity at what[index]: InputError, as engine/checks.py says it. */
static int not_finite(const char *what, Py_ssize_t index, double value) {
    PyObject *number = PyFloat_FromDouble(value);
    if (number != NULL)
        PyErr_Format(input_error, "%s[%zd] is not finite: %R", what, index, number);
    Py_XDECREF(number);
    return -1;
}

/* `as_floats(values, expected, what)` of synjson/engine/checks.py, into out; -1 with its InputError. */
static int read_floats(PyObject *values, Py_ssize_t expected, const char *what, double *out) {
    if (PyList_CheckExact(values) || PyTuple_CheckExact(values)) {
        Py_ssize_t count = PySequence_Fast_GET_SIZE(values);
        if (count != expected)
            return PyErr_Format(input_error, "expected %zd %s, got %zd", expected, what, count), -1;
        PyObject **items = PySequence_Fast_ITEMS(values);
        Py_ssize_t i = 0;
        for (; i < count; i++) { /* exact floats and ints; anything else takes the general path */
            PyObject *item = items[i];
            if (PyFloat_CheckExact(item)) {
                out[i] = PyFloat_AS_DOUBLE(item);
            } else if (PyLong_CheckExact(item)) {
                out[i] = PyLong_AsDouble(item);
                if (out[i] == -1.0 && PyErr_Occurred())
                    return -1; /* too big for a double: float(value) raises the same OverflowError */
            } else {
                break;
            }
            if (!isfinite(out[i]))
                return not_finite(what, i, out[i]);
        }
        if (i == count)
            return 0;
    }
    Py_ssize_t count = PyObject_Size(values);
    if (count < 0) {
        if (!PyErr_ExceptionMatches(PyExc_TypeError))
            return -1;
        PyErr_Clear();
        return PyErr_Format(input_error, "expected a sequence of %zd %s, got %.100s", expected, what,
                            Py_TYPE(values)->tp_name), -1;
    }
    if (count != expected)
        return PyErr_Format(input_error, "expected %zd %s, got %zd", expected, what, count), -1;
    PyObject *iterator = PyObject_GetIter(values);
    if (iterator == NULL)
        return -1;
    PyObject *item;
    Py_ssize_t index = 0;
    while ((item = PyIter_Next(iterator)) != NULL) {
        double number;
        if (index >= expected) {
            Py_DECREF(item);
            break;
        }
        if (PyFloat_CheckExact(item)) {
            number = PyFloat_AS_DOUBLE(item);
        } else if ((PyLong_Check(item) && !PyBool_Check(item)) || PyFloat_Check(item)) {
            number = PyFloat_AsDouble(item);
        } else {
            PyObject *converted = PyNumber_Float(item);
            if (converted == NULL) {
                if (PyErr_ExceptionMatches(PyExc_TypeError) || PyErr_ExceptionMatches(PyExc_ValueError)) {
                    PyErr_Clear();
                    PyErr_Format(input_error, "%s[%zd] is not a number: %R", what, index, item);
                }
                Py_DECREF(item);
                Py_DECREF(iterator);
                return -1;
            }
            number = PyFloat_AS_DOUBLE(converted);
            Py_DECREF(converted);
        }
        Py_DECREF(item);
        if (number == -1.0 && PyErr_Occurred()) {
            Py_DECREF(iterator);
            return -1;
        }
        if (!isfinite(number)) {
            Py_DECREF(iterator);
            return not_finite(what, index, number);
        }
        out[index++] = number;
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred())
        return -1;
    if (index != expected)
        return PyErr_Format(input_error, "expected %zd %s, got %zd", expected, what, index), -1;
    return 0;
}

/* `check_rate` of synjson/engine/checks.py. */
static int read_rate(PyObject *rate, double *out) {
    if (PyFloat_CheckExact(rate)) {
        *out = PyFloat_AS_DOUBLE(rate);
        return 0;
    }
    if (rate == Py_None || PyBool_Check(rate) || !(PyLong_Check(rate) || PyFloat_Check(rate)))
        return raise_error("ArgumentError", "rate must be a number, got %R", rate);
    *out = PyFloat_AsDouble(rate);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

