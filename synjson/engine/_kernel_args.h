/* Reading inputs, targets and rates exactly as synjson's Network does (included by _kernel.c only). */

/* -- reading numbers ------------------------------------------------------------------------ */

/* `_as_floats(values, expected, what)` of synjson/network.py, into out; -1 with its ArgumentError. */
static int read_floats(PyObject *values, Py_ssize_t expected, const char *what, double *out) {
    if (PyList_CheckExact(values) || PyTuple_CheckExact(values)) {
        Py_ssize_t count = PySequence_Fast_GET_SIZE(values);
        if (count != expected)
            return raise_error("ArgumentError", "expected %zd %s, got %zd", expected, what, count);
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
        }
        if (i == count)
            return 0;
    }
    Py_ssize_t count = PyObject_Size(values);
    if (count < 0) {
        if (!PyErr_ExceptionMatches(PyExc_TypeError))
            return -1;
        PyErr_Clear();
        return raise_error("ArgumentError", "expected a sequence of %zd %s, got %.100s", expected, what,
                           Py_TYPE(values)->tp_name);
    }
    if (count != expected)
        return raise_error("ArgumentError", "expected %zd %s, got %zd", expected, what, count);
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
                    raise_error("ArgumentError", "%s[%zd] is not a number: %R", what, index, item);
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
        out[index++] = number;
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred())
        return -1;
    if (index != expected)
        return raise_error("ArgumentError", "expected %zd %s, got %zd", expected, what, index);
    return 0;
}

/* `_check_rate` of synjson/network.py. */
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

