/**
 * Jackson mappers for the model: a strict one for user input (unknown fields are errors), a lenient
 * one for the wire (newer peers may add fields), YAML for the declarative file, and the canonical
 * form whose bytes are hashed.
 */
package io.ballast.model.json;
