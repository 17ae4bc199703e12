"""Class bits of a code point, shared by the sentence tables and the compiled kernels that read them.

Kept apart so that ``sentence_arrays`` (which fills the bits) and ``kernels.passage_kernels`` (which reads them)
import neither each other nor numba for them.
"""

#: As ``passages._SENTENCE_END`` and its line splitting read them.
END, CLOSE, OPEN, CAPITAL, SPACE, NEWLINE = 1, 2, 4, 8, 16, 32
