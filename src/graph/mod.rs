//! Graph: the policy-event graph (stub).
