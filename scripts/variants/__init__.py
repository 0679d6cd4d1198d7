"""The layout and producer matrix: a golden document printed in seeded random layouts by
pluggable writers and producers, each variant with the facts it prints (see make-variants)."""
