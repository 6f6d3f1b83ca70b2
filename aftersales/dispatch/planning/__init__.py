"""Pure dispatch planning (智能派工): model, travel times, solver, baseline, checker."""
