"""Stand-in mode (`contactd serve --stand-in`, docs/stand-in.md): what an integrator's
tests need of a stand-in for TeleCMI, beside the contract itself — a control API under
`/_contactd/` that resets, seeds, moves the clock of, injects faults into and reads the
journal of one app at a time.

Nothing here runs unless `Settings.stand_in` is set: without it `/_contactd/` is not
routed and every request takes the ordinary path.
"""
