/* Core: the C base of Network (included by _kernel.c only; see docs/engine.md).
 *
 * net.activate(x) on a Core subclass reaches Program's run with no Python frame; any other program
 * object is called through its methods. */

/* -- Core ----------------------------------------------------------------------------------- */

/* The program runs natively when it is a Program; any other object (the generated Python program,
 * the neuron-level reference) is called through its activate/propagate methods. */
typedef struct {
    PyObject_HEAD
    PyObject *program; /* or NULL */
    int native;
    Py_buffer version; /* a 1-element array('q') */
    int has_version;
    int64_t bound;
    int activated;
    Gate *gate; /* shared with every Program it installs: one call at a time per network */
} Core;

static PyObject *str_refresh, *str_activate, *str_propagate, *str_activate_named, *str_propagate_named;

static PyObject *mapping_abc; /* collections.abc.Mapping, set once by PyInit__kernel */

/* 1 for named values (a dict, any Mapping), which go to the subclass's _activate_named or
 * _propagate_named (Network: synjson/model/names.py); a list, tuple or buffer never asks. */
static inline int core_named(PyObject *values) {
    if (PyList_CheckExact(values) || PyTuple_CheckExact(values) || PyObject_CheckBuffer(values))
        return 0;
    return PyDict_Check(values) ? 1 : PyObject_IsInstance(values, mapping_abc);
}

static int core_traverse(Core *self, visitproc visit, void *arg) {
    Py_VISIT(self->program);
    if (self->has_version)
        Py_VISIT(self->version.obj);
    return 0;
}

static int core_clear(Core *self) {
    Py_CLEAR(self->program);
    self->native = 0;
    if (self->has_version) {
        self->has_version = 0;
        PyBuffer_Release(&self->version);
    }
    return 0;
}

static void core_dealloc(Core *self) {
    PyObject_GC_UnTrack(self);
    core_clear(self);
    gate_release(self->gate);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static inline int core_current(Core *self) {
    return self->program != NULL && self->has_version && *(int64_t *)self->version.buf == self->bound;
}

/* The program to run (a new reference): refreshed through self._refresh() when missing or out of date. */
static PyObject *core_program(Core *self) {
    if (!core_current(self)) {
        PyObject *result = PyObject_CallMethodNoArgs((PyObject *)self, str_refresh);
        if (result == NULL)
            return NULL;
        Py_DECREF(result);
        if (self->program == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "_refresh() must call _install(program, version)");
            return NULL;
        }
    }
    return Py_NewRef(self->program); /* a callback may install another one meanwhile */
}

static PyObject *core_activate(Core *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 1)
        return PyErr_Format(PyExc_TypeError, "activate() takes 1 argument (%zd given)", nargs), NULL;
    int named = core_named(args[0]);
    if (named)
        return named < 0 ? NULL : PyObject_CallMethodOneArg((PyObject *)self, str_activate_named, args[0]);
    PyObject *program = core_program(self), *result;
    if (program == NULL)
        return NULL;
    if (self->native)
        result = program_activate_impl((Program *)program, args[0]);
    else
        result = PyObject_CallMethodOneArg(program, str_activate, args[0]);
    Py_DECREF(program);
    if (result != NULL)
        self->activated = 1;
    return result;
}

static PyObject *core_propagate(Core *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2)
        return PyErr_Format(PyExc_TypeError, "propagate() takes 2 arguments (%zd given)", nargs), NULL;
    int named = core_named(args[1]);
    if (named)
        return named < 0 ? NULL
                         : PyObject_CallMethodObjArgs((PyObject *)self, str_propagate_named, args[0], args[1], NULL);
    PyObject *program = core_program(self), *result;
    if (program == NULL)
        return NULL;
    if (!self->activated) {
        Py_DECREF(program);
        PyObject *type = state_error_type();
        if (type != NULL) {
            PyErr_SetString(type, "propagate() needs a prior activate(): there is no activation to learn from");
            Py_DECREF(type);
        }
        return NULL;
    }
    if (self->native)
        result = program_propagate_impl((Program *)program, args[0], args[1], 0);
    else
        result = PyObject_CallMethodObjArgs(program, str_propagate, args[0], args[1], NULL);
    Py_DECREF(program);
    return result;
}

static PyObject *core_install(Core *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2)
        return PyErr_Format(PyExc_TypeError, "_install() takes 2 arguments (%zd given)", nargs), NULL;
    int native = PyObject_TypeCheck(args[0], &ProgramType);
    if (native && program_ready((Program *)args[0]) < 0)
        return NULL;
    Py_buffer version;
    if (get_buffer(args[1], &version, 'q', 8, 0, "version") < 0)
        return NULL;
    if (version.len < 8) {
        PyBuffer_Release(&version);
        return PyErr_Format(PyExc_ValueError, "version must hold one item"), NULL;
    }
    Program *installed = native ? (Program *)args[0] : NULL;
    if (installed != NULL && self->gate == NULL && (self->gate = gate_new()) == NULL) {
        PyBuffer_Release(&version);
        return NULL;
    }
    Gate *own = installed != NULL ? installed->gate : NULL;
    if (installed != NULL && own != self->gate && (own == NULL || (own->depth == 0 && own->waiting == 0))) {
        gate_release(own); /* no call in it, none waiting for it: the network's gate from now on */
        installed->gate = self->gate;
        self->gate->refs++;
    }
    core_clear(self);
    self->program = args[0] == Py_None ? NULL : Py_NewRef(args[0]);
    self->native = native;
    self->version = version;
    self->has_version = 1;
    self->bound = *(int64_t *)version.buf;
    Py_RETURN_NONE;
}

static PyObject *core_get_activated(Core *self, void *closure) { return PyBool_FromLong(self->activated); }

static int core_set_activated(Core *self, PyObject *value, void *closure) {
    if (value == NULL)
        return PyErr_SetString(PyExc_AttributeError, "_activated cannot be deleted"), -1;
    int truth = PyObject_IsTrue(value);
    if (truth < 0)
        return -1;
    self->activated = truth;
    return 0;
}

static PyObject *core_get(Core *self, void *which) {
    switch ((int)(intptr_t)which) {
    case 0: return Py_NewRef(self->program ? self->program : Py_None);
    case 1: return Py_NewRef(self->has_version ? self->version.obj : Py_None);
    default: return PyLong_FromLongLong(self->has_version ? self->bound : -1);
    }
}

static PyMethodDef core_methods[] = {
    {"activate", (PyCFunction)(void (*)(void))core_activate, METH_FASTCALL,
     "activate($self, inputs, /)\n--\n\n"
     "Feed one input vector forward and return the output activations.\n\n"
     "inputs: a list, tuple or array of numbers (a list of floats comes back), or a dict keyed by the\n"
     "input names (a dict keyed by the output names comes back). InputError for a wrong count, a value\n"
     "that is not a number, a NaN or an infinity, or a missing or unknown name. The program is rebuilt\n"
     "first when the structure changed."},
    {"propagate", (PyCFunction)(void (*)(void))core_propagate, METH_FASTCALL,
     "propagate($self, rate, targets, /)\n--\n\n"
     "Back-propagate the error against targets and learn at rate.\n\n"
     "targets: as activate's inputs (a dict is keyed by the output names). StateError without a prior\n"
     "activate; a missing rate is an error, not NaN weights (Q-RATE)."},
    {"_install", (PyCFunction)(void (*)(void))core_install, METH_FASTCALL,
     "_install($self, program, version, /)\n--\n\n"
     "Run `program` (a Program, any object with activate/propagate, or None) while version[0] keeps\n"
     "its current value."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef core_getset[] = {
    {"_activated", (getter)core_get_activated, (setter)core_set_activated, "whether an activation happened", NULL},
    {"_program", (getter)core_get, NULL, "the installed program, or None", (void *)0},
    {"_version", (getter)core_get, NULL, "the version array the program was installed with, or None", (void *)1},
    {"_bound", (getter)core_get, NULL, "the version the program was built for (-1 before any)", (void *)2},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject CoreType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "synjson.engine._kernel.Core",
    .tp_basicsize = sizeof(Core),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Core()\n--\n\n"
              "The C base of Network; activate/propagate run the installed program (docs/engine.md).",
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)core_dealloc,
    .tp_traverse = (traverseproc)core_traverse,
    .tp_clear = (inquiry)core_clear,
    .tp_methods = core_methods,
    .tp_getset = core_getset,
};

