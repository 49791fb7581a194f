/** The {@code ballast} command: one picocli command class per verb, over the REST API of the control plane. */
package io.ballast.cli;
