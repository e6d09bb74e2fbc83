//! QuantumFlow scheduler core (placeholder; filled in by the scheduler work).
