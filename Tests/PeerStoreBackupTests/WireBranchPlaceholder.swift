// Placeholder so that this target has a source file on branch tests-wire; delete when real tests land.
