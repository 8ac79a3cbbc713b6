package interp

// NewModuleExceptionClassInit is NewModuleExceptionClass for a class whose
// instances are more than exceptions: init runs on each instance the class
// makes when called (never on instances of subclasses), and may give it
// attributes with SetAttr, or refuse the arguments with an error. gevent's
// Timeout is one: gevent.Timeout(2) is an exception that can be raised and
// caught, and also a timer with start() and cancel().
func NewModuleExceptionClassInit(module, name string, base *ExceptionClass, init func(e *Exception) error) *ExceptionClass {
	c := NewModuleExceptionClass(module, name, base)
	c.init = init
	return c
}
