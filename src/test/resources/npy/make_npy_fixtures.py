"""Writes the .npy fixtures of NpyTest with NumPy's own writer (np.save / np.lib.format).

Run from this folder: python3 make_npy_fixtures.py  (NumPy 2.4.6 wrote the committed files).
Every array holds i * 0.5 - 1 for i = 0, 1, 2, ... in C order, so the test can rebuild it.
"""
import numpy as np
from numpy.lib import format as npformat


def values(shape, dtype='<f4', order='C'):
    n = int(np.prod(shape)) if shape else 1
    a = (np.arange(n, dtype=np.float64) * 0.5 - 1).reshape(shape)
    return np.asarray(a, dtype=dtype, order=order)


np.save('vector.npy', values((3,)))
np.save('matrix.npy', values((2, 3)))
np.save('conv.npy', values((3, 3, 2, 4)))
np.save('scalar.npy', values(()))
np.save('empty.npy', values((0, 5)))
with open('version2.npy', 'wb') as f:
    npformat.write_array(f, values((2, 2)), version=(2, 0))
np.save('float64.npy', values((2,), dtype='<f8'))
np.save('bigendian.npy', values((2,), dtype='>f4'))
np.save('fortran.npy', np.asfortranarray(values((2, 3))))
